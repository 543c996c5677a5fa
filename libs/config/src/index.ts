export * from './config';
export * from './nats-url';
