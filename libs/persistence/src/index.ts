export * from './migrate';
export * from './postgres-errors';
export * from './postgres-options';
export * from './unit-of-work/inbox-message.entity';
export * from './unit-of-work/message-transactions';
export * from './unit-of-work/outbox-message.entity';
export * from './unit-of-work/outbox-order';
export * from './unit-of-work/unit-of-work-schema';
