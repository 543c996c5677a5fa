export type { MetricsOptions } from './metrics-options';
export * from './circuit-breaker.metrics';
export * from './metrics.module';
