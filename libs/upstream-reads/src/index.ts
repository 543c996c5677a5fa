export * from './nats-order-reads';
export * from './order-reads';
export * from './read-failure';
export * from './upstream-reads';
