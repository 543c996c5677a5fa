/** Per-handler consumer settings, given as `@EventPattern(type, consumerOptions)` extras. */
export interface ConsumerOptions {
  /** Handlers of this consumer running at once in one replica. */
  concurrency: number;
  /** Unacknowledged messages the server lets this consumer have in flight across all replicas. */
  maxAckPending: number;
  /** How long the server waits for an ack before redelivering. */
  ackWaitMs: number;
  /** First redelivery delay after a transient failure; doubled per attempt with full jitter. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

export const DEFAULT_CONSUMER_OPTIONS: ConsumerOptions = {
  concurrency: 16,
  maxAckPending: 256,
  ackWaitMs: 30_000,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 30_000,
};

/** Exponential backoff with full jitter: a random delay up to base * 2^(attempt-1), capped. */
export function redeliveryDelay(attempt: number, options: Pick<ConsumerOptions, 'retryBaseDelayMs' | 'retryMaxDelayMs'>, random = Math.random): number {
  const ceiling = Math.min(options.retryMaxDelayMs, options.retryBaseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
