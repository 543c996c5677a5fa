import { setTimeout as sleep } from 'node:timers/promises';
import { Random } from './random';

/** What became of a request: an answer the client can act on, or none before it gave up. */
export type Delivery = { kind: 'answered'; status: number; body: unknown; attempts: number } | { kind: 'unknown'; error: string; attempts: number };

export interface RetryingClientOptions {
  /** After this long without an answer worth acting on, the outcome stays unknown. */
  giveUpAfterMs: number;
  /** A single attempt is abandoned (and retried) after this long; the gateway's own deadline is 5 s. */
  attemptTimeoutMs?: number;
  random: Random;
}

const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 3_000;

/** An answer that does not tell what happened, or says "later": the same request may be sent again. */
export function isWorthRetrying(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Exponential backoff with full jitter, but never sooner than the server asked in Retry-After (seconds). */
export function retryDelayMs(attempt: number, retryAfter: string | null, random: Random): number {
  const backoff = Math.round(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1)));
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.max(backoff, seconds * 1_000) : backoff;
}

/**
 * A client that behaves like a careful real one: when it did not learn the outcome of a
 * request (no connection, a reset, a timeout, 5xx, 429) it sends the very same request
 * again, same Idempotency-Key included, until it gets an answer or runs out of patience.
 */
export class RetryingClient {
  private retriesSent = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly options: RetryingClientOptions,
  ) {}

  /** Requests sent again because an earlier attempt told nothing. */
  get retries(): number {
    return this.retriesSent;
  }

  async send(method: string, path: string, request: { token: string; headers?: Record<string, string>; body?: unknown }): Promise<Delivery> {
    const giveUpAt = Date.now() + this.options.giveUpAfterMs;
    const headers: Record<string, string> = { ...request.headers, authorization: `Bearer ${request.token}` };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    let lastProblem: string;
    for (let attempt = 1; ; attempt++) {
      let retryAfter: string | null = null;
      try {
        const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(this.options.attemptTimeoutMs ?? 15_000) });
        const answer = parseBody(await response.text());
        if (!isWorthRetrying(response.status)) return { kind: 'answered', status: response.status, body: answer, attempts: attempt };
        retryAfter = response.headers.get('retry-after');
        lastProblem = `${response.status} ${JSON.stringify(answer).slice(0, 200)}`;
      } catch (error) {
        lastProblem = describeFailure(error);
      }
      const delay = retryDelayMs(attempt, retryAfter, this.options.random);
      if (Date.now() + delay >= giveUpAt) return { kind: 'unknown', error: lastProblem, attempts: attempt };
      await sleep(delay);
      this.retriesSent++;
    }
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** fetch hides the interesting part (ECONNREFUSED, a reset) in `cause`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
