import { Attributes, Context, context, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = () => trace.getTracer('@orders/tracing/messaging');

/** Reads a header of an incoming message, whatever the transport keeps them in. */
export type HeaderGetter = (name: string) => string | undefined;

/** The W3C trace headers (`traceparent`, `tracestate`) that continue `from`, the active context unless told otherwise. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The context a message's trace headers describe, to start the span handling it in. */
export function traceContextOf(header: HeaderGetter): Context {
  return propagation.extract(context.active(), undefined, {
    get: (_carrier, key) => header(key),
    keys: () => [],
  });
}

/** The trace id of the span running now, if any. */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

export interface SpanSpec {
  name: string;
  kind: SpanKind;
  attributes?: Attributes;
  /** The trace it continues: the active context unless told otherwise (e.g. a message's headers). */
  parent?: Context;
}

/** Runs `task` as the active span `spec` describes; a thrown error marks the span failed. */
export async function inSpan<T>(spec: SpanSpec, task: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(spec.name, { kind: spec.kind, attributes: spec.attributes }, spec.parent ?? context.active(), async (span) => {
    try {
      return await task(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Records that a message is being sent in a PRODUCER span that ends at once (the message
 * leaves later, through the outbox) and returns the trace headers to send it with, so its
 * consumers' spans are children of this one.
 */
export function producerTraceHeaders(name: string, attributes: Attributes): Record<string, string> {
  const span = tracer().startSpan(name, { kind: SpanKind.PRODUCER, attributes });
  const headers = traceHeaders(trace.setSpan(context.active(), span));
  span.end();
  return headers;
}

export function markFailed(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Attribute names of the messaging semantic conventions (still incubating, hence not imported). */
export const MESSAGING_ATTRIBUTES = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  consumerGroup: 'messaging.consumer.group.name',
  messageId: 'messaging.message.id',
  operation: 'messaging.operation.type',
} as const;

export { SpanKind };
