import { Injectable } from '@nestjs/common';
import { bearer, CallerTokenIssuer } from '@orders/caller-tokens';
import { HEADERS } from '@orders/contracts';
import { RequestContext } from './request-context';
import { Upstream, UpstreamName, UpstreamResponse } from './upstream';

/** Client headers passed on unchanged. Anything else, notably the client's own `authorization`, is dropped. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', HEADERS.idempotencyKey, HEADERS.traceparent] as const;

/** Upstream response headers the client gets to see. */
const RELAYED_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after', 'cache-control', 'etag'] as const;

export interface ClientRequest {
  method: string;
  /** Upstream path and query string, starting with `/`. */
  path: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body?: string;
}

/**
 * Passes a client's request to a service behind the gateway on behalf of the verified caller:
 * the caller's identity travels as a caller token the gateway signs (ADR 0011), the request id doubles as the
 * correlation id of everything the request sets off, and the gateway's deadline for the
 * request travels along for every hop behind it to keep.
 */
@Injectable()
export class ForwardRequestHandler {
  constructor(
    private readonly upstream: Upstream,
    private readonly callerTokens: CallerTokenIssuer,
  ) {}

  async execute(target: UpstreamName, request: ClientRequest, context: RequestContext): Promise<UpstreamResponse> {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = single(request.headers[name]);
      if (value !== undefined) headers[name] = value;
    }
    headers[HEADERS.authorization] = bearer(this.callerTokens.tokenFor(context.identity));
    headers[HEADERS.requestId] = context.requestId;
    headers[HEADERS.correlationId] = context.requestId;
    headers[HEADERS.deadline] = context.deadline.toHeader();

    const response = await this.upstream.send(target, { method: request.method, path: request.path, headers, body: request.body, deadline: context.deadline });
    return { ...response, headers: pick(response.headers, RELAYED_RESPONSE_HEADERS) };
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function pick(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (names.includes(name.toLowerCase())) picked[name.toLowerCase()] = value;
  }
  return picked;
}
