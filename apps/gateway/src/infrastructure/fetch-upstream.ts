import { Injectable } from '@nestjs/common';
import { DeadlineExceeded } from '@orders/request-context';
import { Upstream, UpstreamName, UpstreamRequest, UpstreamResponse, UpstreamTimeout, UpstreamUnavailable } from '../application/upstream';
import { UpstreamSettings } from './upstream-settings';

/** Talks to upstream services over HTTP, giving up at the request's deadline or after the configured timeout, whichever comes first. */
@Injectable()
export class FetchUpstream extends Upstream {
  constructor(private readonly settings: UpstreamSettings) {
    super();
  }

  async send(target: UpstreamName, request: UpstreamRequest): Promise<UpstreamResponse> {
    const url = `${this.settings.baseUrls[target]}${request.path}`;
    const remainingMs = request.deadline.remainingMs();
    if (remainingMs === 0) throw new DeadlineExceeded(`${request.method} ${request.path} not sent to ${target}: the request's deadline has passed`);
    const waitMs = Math.min(this.settings.timeoutMs, remainingMs);
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        // A redirect is the client's to follow, with its Location unchanged.
        redirect: 'manual',
        signal: AbortSignal.timeout(waitMs),
      });
      const body = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: Object.fromEntries(response.headers), body };
    } catch (error) {
      if (isTimeout(error) && waitMs === remainingMs) {
        throw new DeadlineExceeded(`${target} did not answer ${request.method} ${request.path} within the ${waitMs} ms left before the request's deadline`);
      }
      if (isTimeout(error)) throw new UpstreamTimeout(target, `${target} did not answer ${request.method} ${request.path} within ${waitMs} ms`);
      throw new UpstreamUnavailable(target, `${target} is unreachable for ${request.method} ${request.path}: ${describe(error)}`);
    }
  }
}

/** AbortSignal.timeout() rejects with a DOMException named TimeoutError (not necessarily an Error of this realm). */
function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}

function describe(error: unknown): string {
  const { message, cause } = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as { message?: unknown; cause?: { message?: unknown } };
  return cause?.message ? `${String(message)}: ${String(cause.message)}` : String(message);
}
