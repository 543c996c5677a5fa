export type { MetricsOptions } from './metrics-options';
export * from './metrics.module';
