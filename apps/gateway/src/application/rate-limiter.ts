/**
 * The gateway's rate-limit buckets: `api` holds every request under /api, `login` and
 * `orders` are stricter ones for the requests an abuser would repeat (token issuing,
 * placing orders) and are charged on top of `api`.
 */
export type RateLimitBucket = 'api' | 'login' | 'orders';

/** A bucket of `points` tokens per client, refilled in full `durationSeconds` after the client took its first one. */
export interface RateLimitPolicy {
  points: number;
  durationSeconds: number;
}

/** What taking one token from a client's bucket gave. */
export interface RateLimitOutcome {
  bucket: RateLimitBucket;
  allowed: boolean;
  /** Tokens the bucket holds when full. */
  limit: number;
  /** Tokens left after this request. */
  remaining: number;
  /** Until the bucket is full again. */
  resetInMs: number;
}

/** Counts each client's requests per bucket; with a shared store, across all gateway replicas. */
export abstract class RateLimiter {
  /** Takes a token for `clientKey` (a user or an IP address) from `bucket`. */
  abstract take(bucket: RateLimitBucket, clientKey: string): Promise<RateLimitOutcome>;
}
