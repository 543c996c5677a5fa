export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

export interface MetricsOptions {
  /** The app's name: the `service` label of every metric it serves. */
  service: string;
}
