/**
 * `compensation` handlers undo earlier saga steps (void, refund, release, cancel a
 * shipment). They share one concurrency limit and rate limit per process, apart
 * from normal traffic, so a burst of failing sagas cannot swamp a participant or
 * its provider.
 */
export type ConsumerLane = 'normal' | 'compensation';

/** Per-handler consumer settings, given as `@OnEvent(definition, consumerOptions)` extras. */
export interface ConsumerOptions {
  lane: ConsumerLane;
  /** Handlers of this consumer running at once in one replica. */
  concurrency: number;
  /** Unacknowledged messages the server lets this consumer have in flight across all replicas. */
  maxAckPending: number;
  /** How long the server waits for an ack before redelivering. */
  ackWaitMs: number;
  /** First redelivery delay after a transient failure; doubled per attempt with full jitter. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Deliveries a message gets before it is dead-lettered; permanent failures are dead-lettered on the first. */
  maxDeliveries: number;
  /**
   * How long after its publication a message may keep waiting for an event it depends
   * on (`PrecedingEventMissing`), however many deliveries that takes. Counting
   * deliveries would dead-letter it whenever the other event is held up, e.g. in a
   * replica that crashed and has not been redelivered yet.
   */
  precedingEventWaitMs: number;
  /**
   * First redelivery delay of a message waiting for a preceding event; doubled per attempt with
   * full jitter. Shorter than `retryBaseDelayMs`: the other event is usually being handled at
   * that moment, by another consumer of the same service.
   */
  precedingEventRetryBaseDelayMs: number;
}

export const DEFAULT_CONSUMER_OPTIONS: ConsumerOptions = {
  lane: 'normal',
  concurrency: 16,
  maxAckPending: 256,
  ackWaitMs: 30_000,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 30_000,
  maxDeliveries: 8,
  precedingEventWaitMs: 10 * 60_000,
  precedingEventRetryBaseDelayMs: 10,
};

/** The limits every compensation handler of one process shares. */
export interface CompensationLaneOptions {
  /** Compensation handlers running at once. */
  concurrency: number;
  /** Compensation handlers started per second; a handler waits for its turn rather than failing. */
  ratePerSecond: number;
}

export const DEFAULT_COMPENSATION_LANE_OPTIONS: CompensationLaneOptions = {
  concurrency: 10,
  ratePerSecond: 20,
};

/**
 * When a message whose handler failed comes back: after its backoff, from the shorter base while
 * it waits for a preceding event, or later if the failing side asked for that (`requestedMs`).
 */
export function retryDelay(attempt: number, options: ConsumerOptions, failure: { waiting: boolean; requestedMs?: number }, random = Math.random): number {
  const retryBaseDelayMs = failure.waiting ? options.precedingEventRetryBaseDelayMs : options.retryBaseDelayMs;
  const backoff = redeliveryDelay(attempt, { retryBaseDelayMs, retryMaxDelayMs: options.retryMaxDelayMs }, random);
  return Math.min(options.retryMaxDelayMs, Math.max(backoff, failure.requestedMs ?? 0));
}

/** Exponential backoff with full jitter: a random delay up to base * 2^(attempt-1), capped. */
export function redeliveryDelay(attempt: number, options: Pick<ConsumerOptions, 'retryBaseDelayMs' | 'retryMaxDelayMs'>, random = Math.random): number {
  const ceiling = Math.min(options.retryMaxDelayMs, options.retryBaseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

const PULL_EXPIRES_MS = 5_000;

/**
 * How far one consumer pulls ahead of its handlers. Larger pulls mean fewer pull requests and
 * larger deliveries, so more acks per socket write; refilling only once a single turn of
 * handlers is left makes each pull larger still. But a pulled message's ack wait runs while it
 * waits for a handler: the normal lane stays a few handler turns deep, and the compensation
 * lane, whose rate limit can hold messages for long, pulls only what its handlers can take
 * (those keep their messages alive with `working()` while they wait).
 *
 * A pull request lives `PULL_EXPIRES_MS`, and the server sends heartbeats every half of it. When
 * the node leading a stream dies, the client only notices after two missed heartbeats and then
 * pulls again from the new leader: with nats.js's 30 s default that stalled a consumer for about
 * 40 s in a three-node cluster, with 5 s for about 10 s. The price is one pull request per consumer
 * every 5 s while idle.
 */
export function pullOptions(options: Pick<ConsumerOptions, 'lane' | 'concurrency' | 'maxAckPending'>): { max_messages: number; threshold_messages?: number; expires: number } {
  if (options.lane === 'compensation') return { max_messages: options.concurrency, expires: PULL_EXPIRES_MS };
  const ahead = Math.min(4 * options.concurrency, options.maxAckPending);
  return { max_messages: ahead, threshold_messages: Math.min(options.concurrency, Math.floor(ahead / 2)), expires: PULL_EXPIRES_MS };
}
