export * from './message-tracing';
export * from './tracing';
export * from './tracing-config';
