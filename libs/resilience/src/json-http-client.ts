import { PermanentFailure } from '@orders/shared-kernel';
import { HttpStatusError, isPermanentRefusal, NetworkError, parseRetryAfter } from './errors';
import type { ResiliencePolicy } from './resilience-policy';

// Body excerpts in error messages help an operator; whole bodies would flood the logs.
const EXCERPT_LENGTH = 500;

export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Resolved against the client's base URL. */
  readonly path: string;
  readonly body?: unknown;
  /** Sent as `Idempotency-Key`, the same on every retry, so a retried request has a single effect. */
  readonly idempotencyKey?: string;
  /**
   * Statuses that are answers for the adapter to interpret, business refusals included
   * (e.g. 402 declined). Any other status is a failure the policy classifies.
   */
  readonly expectedStatuses: readonly number[];
}

export interface JsonReply {
  readonly status: number;
  /** The parsed JSON body; undefined for an empty one. */
  readonly body: unknown;
}

/**
 * The HTTP plumbing provider adapters share: JSON in and out, every attempt under the policy
 * and its AbortSignal, statuses classified into errors. What remains for an adapter is the
 * provider's paths, bodies and what its answers mean.
 *
 * Failures it throws: `PermanentFailure` for a refusal that repeating cannot change (4xx other
 * than 408/429); otherwise the policy's last error, e.g. an `HttpStatusError` for 429/5xx
 * (with `retryAfterMs` when the provider sent Retry-After), `NetworkError`, `TimeoutError`,
 * `CircuitOpenError`.
 */
export class JsonHttpClient {
  constructor(
    private readonly baseUrl: string,
    private readonly policy: ResiliencePolicy,
  ) {}

  async request(request: JsonRequest, signal?: AbortSignal): Promise<JsonReply> {
    try {
      return await this.policy.execute((attemptSignal) => this.send(request, attemptSignal), signal);
    } catch (error) {
      if (isPermanentRefusal(error)) throw new PermanentFailure(error.message, { cause: error });
      throw error;
    }
  }

  private async send({ method, path, body, idempotencyKey, expectedStatuses }: JsonRequest, signal: AbortSignal): Promise<JsonReply> {
    const dependency = this.policy.name;
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      // An aborted attempt is the policy's business (timeout or caller gone), not a network fault.
      if (signal.aborted) throw error;
      throw new NetworkError(`${dependency} unreachable on ${method} ${path}: ${failureCause(error)}`, { cause: error });
    }
    if (!expectedStatuses.includes(response.status)) {
      throw new HttpStatusError(response.status, `${dependency} answered ${response.status} to ${method} ${path}: ${text.slice(0, EXCERPT_LENGTH)}`, {
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      });
    }
    return { status: response.status, body: parseJson(text, `${dependency} answered ${response.status} to ${method} ${path}`) };
  }
}

function parseJson(text: string, context: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${context} with a body that is not JSON: ${text.slice(0, EXCERPT_LENGTH)}`, { cause: error });
  }
}

/** fetch only says "fetch failed"; its cause (refused, reset, DNS) is what an operator needs. */
function failureCause(error: unknown): string {
  return String((error as { cause?: unknown } | null)?.cause ?? error);
}
