import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';

export * from './dead-letters/dead-letter-stream';
export * from './dead-letters/dead-letters';
export * from './handler-decorators';
export * from './inbox/inbox-message.entity';
export * from './jetstream/consumer-options';
export * from './jetstream/consumer-states';
export * from './jetstream/handling-observer';
export * from './jetstream/jetstream.context';
export * from './jetstream/jetstream.server';
export * from './jetstream/stream-provisioning';
export * from './logging/log-context';
export * from './message-transactions';
export * from './messaging-tables.migration';
export * from './messaging.module';
export * from './nats/nats-connection';
export * from './nats/nats-environment';
export * from './outbox/outbox-backlog';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox-relay';
export * from './provider-calls/provider-calls';
export * from './query/query-client';
export * from './query/query-failure';
export type { QueryContext } from './query/query-responder';

/** TypeORM entities every service with a database registers for the outbox and inbox. */
export const MESSAGING_ENTITIES = [OutboxMessageEntity, InboxMessageEntity];
export { PrecedingEventMissing } from './jetstream/handler-failure';
