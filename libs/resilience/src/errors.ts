// Which failures are worth another attempt, and which say something about the health of the
// dependency, is decided here once, so every policy and adapter classifies them alike.

/** Statuses that say "not now" rather than "never": the same request may succeed later. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** The dependency answered with a status the caller did not expect. */
export class HttpStatusError extends Error {
  /** How long the dependency asked us to wait (its `Retry-After`), when it said so. */
  readonly retryAfterMs?: number;

  constructor(
    readonly status: number,
    message: string,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpStatusError';
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** A failure that may well not happen on a later attempt; `retryAfterMs` says when that attempt makes sense, if known. */
export abstract class TransientError extends Error {
  readonly retryAfterMs?: number;

  protected constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** The dependency could not be reached, or the connection broke before it answered. */
export class NetworkError extends TransientError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** An attempt outlived its time budget and was aborted. */
export class TimeoutError extends TransientError {
  constructor(readonly timeoutMs: number) {
    super(`Gave up after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * The dependency was reached but reported that it failed to answer, e.g. a query answered with
 * an internal error: what a 5xx is over HTTP, for other transports.
 */
export class RemoteFailureError extends TransientError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'RemoteFailureError';
  }
}

/** The circuit is open: the call failed fast without reaching the dependency. */
export class CircuitOpenError extends TransientError {
  constructor(dependency: string, retryAfterMs: number | undefined) {
    super(`The circuit to ${dependency} is open; calls fail fast until a probe succeeds`, { retryAfterMs });
    this.name = 'CircuitOpenError';
  }
}

/** Every concurrency slot and queue place for the dependency was taken. */
export class BulkheadFullError extends TransientError {
  constructor(dependency: string) {
    super(`Too many concurrent calls to ${dependency}; the bulkhead and its queue are full`);
    this.name = 'BulkheadFullError';
  }
}

/** True for a failure that another attempt later could overcome. */
export function isTransient(error: unknown): boolean {
  return error instanceof TransientError || (error instanceof HttpStatusError && TRANSIENT_STATUSES.has(error.status));
}

/**
 * True when retrying within the same call makes sense. An open circuit is transient too, but
 * retrying it at once would only hammer the breaker: the call fails fast and the caller comes
 * back after `retryAfterMs`.
 */
export function isRetryable(error: unknown): boolean {
  return isTransient(error) && !(error instanceof CircuitOpenError);
}

/**
 * True when the failure says the dependency is unhealthy: 5xx, 408, timeouts, network errors
 * and remote failures. A 429 is back-pressure from a healthy dependency and other 4xx are our
 * mistakes, so neither opens the circuit; neither do failures decided on our side (bulkhead,
 * open circuit).
 */
export function isDependencyFailure(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 408;
  return error instanceof NetworkError || error instanceof TimeoutError || error instanceof RemoteFailureError;
}

/**
 * True for a refusal that will be repeated however often the request is sent: a 4xx other
 * than 408 (timeout) and 429 (throttling).
 */
export function isPermanentRefusal(error: unknown): error is HttpStatusError {
  return error instanceof HttpStatusError && error.status >= 400 && error.status < 500 && !TRANSIENT_STATUSES.has(error.status);
}

/**
 * Milliseconds to wait according to a `Retry-After` header: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable, so the normal backoff applies.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP-date names its month; without the check, Date.parse would read "-5" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
