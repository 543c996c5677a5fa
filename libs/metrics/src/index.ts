export type { MetricsOptions } from './metrics-options';
export * from './circuit-breaker.metrics';
export * from './http.metrics';
export * from './message-handling.metrics';
export * from './metrics.module';
