import { Attributes, Context, context, HrTime, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';

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

/**
 * Now, as the messaging spans record their times: the process's monotonic clock read as wall
 * time (performance.timeOrigin + performance.now(), microseconds). The SDK's default starts each
 * span at Date.now(), whole milliseconds, so two spans could sit up to a millisecond off one
 * another; the saga anatomy measures the gaps between spans (commit → publish → receipt), which
 * on an idle machine are about that long. Processes on one machine read the same clock. A span
 * given a start time takes Date.now() for what is not given one, so these spans are given every
 * time they record.
 */
export function spanClock(): HrTime {
  return hrTime();
}

export interface SpanSpec {
  name: string;
  kind: SpanKind;
  attributes?: Attributes;
  /** The trace it continues: the active context unless told otherwise (e.g. a message's headers). */
  parent?: Context;
  /** When it began, if before the span is started (e.g. when a message was received); now unless told otherwise. */
  startTime?: HrTime;
}

/** Runs `task` as the active span `spec` describes; a thrown error marks the span failed. */
export async function inSpan<T>(spec: SpanSpec, task: (span: Span) => Promise<T>): Promise<T> {
  const options = { kind: spec.kind, attributes: spec.attributes, startTime: spec.startTime ?? spanClock() };
  return tracer().startActiveSpan(spec.name, options, spec.parent ?? context.active(), async (span) => {
    try {
      return await task(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end(spanClock());
    }
  });
}

/** A message's PRODUCER span, and the trace headers that make its consumers' spans children of it. */
export interface ProducerSpan {
  span: Span;
  headers: Record<string, string>;
}

/**
 * Starts the PRODUCER span of a message written to the outbox, a child of the active span. Its
 * writer ends it with `endProducerSpans` once the message is committed, from when the relay may
 * send it (its own `<subject> send` span), or rolled back.
 */
export function startProducerSpan(name: string, attributes: Attributes): ProducerSpan {
  const span = tracer().startSpan(name, { kind: SpanKind.PRODUCER, attributes, startTime: spanClock() });
  return { span, headers: traceHeaders(trace.setSpan(context.active(), span)) };
}

/** Ends the PRODUCER spans of the messages of one transaction at its commit, or as failed when it rolled back. */
export function endProducerSpans(spans: readonly Span[], rollback?: { error: unknown }): void {
  const now = spanClock();
  for (const span of spans) {
    if (rollback) markFailed(span, rollback.error);
    span.end(now);
  }
}

export function markFailed(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Attribute names of the messaging semantic conventions (still incubating, hence not imported).
 * `operation` is `create` on the PRODUCER span of an event written to the outbox, `send` on the
 * relay's span publishing it and `process` on a consumer's span handling it.
 */
export const MESSAGING_ATTRIBUTES = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  consumerGroup: 'messaging.consumer.group.name',
  messageId: 'messaging.message.id',
  operation: 'messaging.operation.type',
} as const;

/**
 * The event on a consumer's span when its handler starts. The span itself starts when the
 * message is received, so the time until this event is the time the message waited for the
 * consumer's concurrency limit (and the compensation lane); from it to the span's end is the
 * handler's own.
 */
export const HANDLER_START_EVENT = 'handler.start';

/** Names the order an event is about on the spans of its messages, so one order's trace can be found. */
export const ORDER_ID_ATTRIBUTE = 'order.id';

/** `order.id` when an event's data names an order (`orderId`), else nothing. */
export function orderAttributes(data: unknown): Attributes {
  const orderId = (data as { orderId?: unknown } | null | undefined)?.orderId;
  return typeof orderId === 'string' ? { [ORDER_ID_ATTRIBUTE]: orderId } : {};
}

export { SpanKind };
export type { HrTime, Span };
