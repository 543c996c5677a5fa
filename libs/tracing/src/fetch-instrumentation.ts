import { context, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import diagnosticsChannel from 'node:diagnostics_channel';

/** What undici (Node's `fetch`) publishes about a request on its diagnostics channels. */
interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  /** Name, value, name, value... */
  headers: string[] | string;
  addHeader(name: string, value: string): unknown;
}

const CHANNELS = {
  create: 'undici:request:create',
  headers: 'undici:request:headers',
  error: 'undici:request:error',
} as const;

/**
 * Gives every `fetch` a CLIENT span and sends its context along as `traceparent`
 * (instrumentation-http only sees `node:http`). A `traceparent` the caller set itself,
 * e.g. one a proxy forwards, is replaced: the callee's parent is this span, a child of the
 * active span or, outside any, of the caller's traceparent. Returns what undoes it.
 */
export function instrumentFetch(): () => void {
  const spans = new WeakMap<UndiciRequest, Span>();
  const tracer = trace.getTracer('@orders/tracing/fetch');

  const onCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    const active = context.active();
    if (isTracingSuppressed(active)) return;
    // Outside any span, a traceparent the caller set itself names the trace to continue.
    const parent = trace.getSpan(active) ? active : propagation.extract(active, { traceparent: headerOf(request, 'traceparent') });
    const url = `${String(request.origin).replace(/\/$/, '')}${request.path}`;
    const span = tracer.startSpan(request.method, { kind: SpanKind.CLIENT, attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_URL_FULL]: url } }, parent);
    spans.set(request, span);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), carrier);
    for (const [name, value] of Object.entries(carrier)) setHeader(request, name, value);
  };
  const onHeaders = (message: unknown) => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  };
  const onError = (message: unknown) => {
    const { request, error } = message as { request: UndiciRequest; error: Error };
    const span = spans.get(request);
    if (!span) return;
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.end();
    spans.delete(request);
  };

  diagnosticsChannel.subscribe(CHANNELS.create, onCreate);
  diagnosticsChannel.subscribe(CHANNELS.headers, onHeaders);
  diagnosticsChannel.subscribe(CHANNELS.error, onError);
  return () => {
    diagnosticsChannel.unsubscribe(CHANNELS.create, onCreate);
    diagnosticsChannel.unsubscribe(CHANNELS.headers, onHeaders);
    diagnosticsChannel.unsubscribe(CHANNELS.error, onError);
  };
}

/** Where the value of header `name` sits in the request's name, value list, or -1. */
function valueIndex(request: UndiciRequest, name: string): number {
  if (!Array.isArray(request.headers)) return -1;
  const index = request.headers.findIndex((header, position) => position % 2 === 0 && header.toLowerCase() === name);
  return index >= 0 ? index + 1 : -1;
}

function headerOf(request: UndiciRequest, name: string): string | undefined {
  const index = valueIndex(request, name);
  return index >= 0 ? request.headers[index] : undefined;
}

function setHeader(request: UndiciRequest, name: string, value: string): void {
  const index = valueIndex(request, name);
  if (index >= 0 && Array.isArray(request.headers)) request.headers[index] = value;
  else request.addHeader(name, value);
}
