import { OrderCancelled, OrderConfirmed, OrderPlaced } from '@orders/contracts';
import { HANDLER_START_EVENT, MESSAGING_ATTRIBUTES, ORDER_ID_ATTRIBUTE, SpanKind } from '@orders/tracing';
import { LatencyRecorder, LatencySummary } from '../measure/latency';
import { ReceivedSpan } from './otlp-json';

/**
 * Where one hop of a saga spends its time, in order:
 * - outbox: the producing transaction commits → the relay starts publishing the event;
 * - broker: the publish starts → the consuming process receives the message;
 * - queueing: received → its handler starts (waiting for the concurrency limit or lane);
 * - handler: the handler starts → it commits the event that carries the saga on.
 * The handler's work after that commit (acknowledging, the rest of it) runs alongside the next
 * hop, so it is off the saga's critical path; the segments of all hops add up to the saga.
 */
export const SEGMENTS = ['outbox', 'broker', 'queueing', 'handler'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface Hop {
  /** The event that carried the saga to the next service. */
  eventType: string;
  producer: string;
  consumer: string;
  /** Milliseconds. */
  segments: Record<Segment, number>;
  /** From the handler's commit to its end, off the critical path. */
  afterCommitMs: number;
}

export interface SagaAnatomy {
  traceId: string;
  orderId?: string;
  /** The event that ended it: order.confirmed or order.cancelled. */
  outcome: string;
  /** When order.placed committed, ms since the epoch. */
  placedAtMs: number;
  /** When the handler that ended the saga committed its outcome. */
  endedAtMs: number;
  totalMs: number;
  /** From order.placed to the event order-service's last handler consumed. */
  hops: Hop[];
}

const SAGA_OUTCOMES = new Set([OrderConfirmed.type, OrderCancelled.type]);

/**
 * The sagas that ended in one trace, each walked back along its critical path: from the
 * order-service handler that committed the outcome, to the event it consumed, to the handler
 * that produced that event, and so on to order.placed. A saga whose spans have not all arrived,
 * or that no handler ended (a customer's cancellation), is left out.
 */
export function sagaAnatomies(spans: readonly ReceivedSpan[]): SagaAnatomy[] {
  const trace = new TraceIndex(spans);
  return spans.filter((span) => isProduced(span) && SAGA_OUTCOMES.has(eventTypeOf(span))).flatMap((ending) => anatomyFrom(ending, trace) ?? []);
}

function anatomyFrom(ending: ReceivedSpan, trace: TraceIndex): SagaAnatomy | undefined {
  const hops: Hop[] = [];
  // The PRODUCER span of the event the current handler committed to carry the saga on.
  let handedOn = ending;
  for (;;) {
    const handler = trace.ancestor(handedOn, SpanKind.CONSUMER);
    const consumed = handler && trace.ancestor(handler, SpanKind.PRODUCER);
    if (!handler || !consumed) return undefined;
    const hop = hopOf(consumed, handler, handedOn, trace);
    if (!hop) return undefined;
    hops.unshift(hop);
    if (hop.eventType === OrderPlaced.type) {
      const orderId = ending.attributes[ORDER_ID_ATTRIBUTE] ?? consumed.attributes[ORDER_ID_ATTRIBUTE];
      return {
        traceId: ending.traceId,
        orderId: orderId === undefined ? undefined : String(orderId),
        outcome: eventTypeOf(ending),
        placedAtMs: consumed.endMs,
        endedAtMs: ending.endMs,
        totalMs: ending.endMs - consumed.endMs,
        hops,
      };
    }
    handedOn = consumed;
  }
}

function hopOf(consumed: ReceivedSpan, handler: ReceivedSpan, handedOn: ReceivedSpan, trace: TraceIndex): Hop | undefined {
  const handlerStart = handler.events.find((event) => event.name === HANDLER_START_EVENT)?.timeMs;
  // A publish that failed was retried; the one the consumer received is the last before it.
  const sent = trace
    .childrenOf(consumed)
    .filter((span) => isSent(span) && !span.failed && span.startMs <= handler.startMs)
    .reduce<ReceivedSpan | undefined>((latest, span) => (latest && latest.startMs > span.startMs ? latest : span), undefined);
  if (handlerStart === undefined || !sent) return undefined;
  return {
    eventType: eventTypeOf(consumed),
    producer: consumed.service,
    consumer: handler.service,
    segments: {
      outbox: sent.startMs - consumed.endMs,
      broker: handler.startMs - sent.startMs,
      queueing: handlerStart - handler.startMs,
      handler: handedOn.endMs - handlerStart,
    },
    afterCommitMs: handler.endMs - handedOn.endMs,
  };
}

/** The PRODUCER span of an event written to the outbox, `<type> publish`, which ends at its commit. */
function isProduced(span: ReceivedSpan): boolean {
  return span.kind === SpanKind.PRODUCER && span.attributes[MESSAGING_ATTRIBUTES.operation] === 'create';
}

/** The relay's publish of an outbox row, a child of the row's PRODUCER span. */
function isSent(span: ReceivedSpan): boolean {
  return span.kind === SpanKind.CLIENT && span.attributes[MESSAGING_ATTRIBUTES.operation] === 'send';
}

function eventTypeOf(produced: ReceivedSpan): string {
  return produced.name.replace(/ publish$/, '');
}

class TraceIndex {
  private readonly byId = new Map<string, ReceivedSpan>();
  private readonly children = new Map<string, ReceivedSpan[]>();

  constructor(spans: readonly ReceivedSpan[]) {
    for (const span of spans) {
      this.byId.set(span.spanId, span);
      if (span.parentSpanId) this.children.set(span.parentSpanId, [...(this.children.get(span.parentSpanId) ?? []), span]);
    }
  }

  /** The nearest ancestor of that kind; none when the trace's root comes first or a span on the way has not arrived. */
  ancestor(span: ReceivedSpan, kind: SpanKind): ReceivedSpan | undefined {
    const seen = new Set<string>();
    for (let parent = this.parentOf(span); parent && !seen.has(parent.spanId); parent = this.parentOf(parent)) {
      if (parent.kind === kind) return parent;
      seen.add(parent.spanId);
    }
    return undefined;
  }

  childrenOf(span: ReceivedSpan): ReceivedSpan[] {
    return this.children.get(span.spanId) ?? [];
  }

  private parentOf(span: ReceivedSpan): ReceivedSpan | undefined {
    return span.parentSpanId ? this.byId.get(span.parentSpanId) : undefined;
  }
}

export interface SegmentSummary extends LatencySummary {
  /** Its p50 as a share of the saga's p50, in percent (p50s do not add up, so neither do these exactly). */
  shareOfSagaP50: number;
}

export interface HopSummary {
  eventType: string;
  producer: string;
  consumer: string;
  segments: Record<Segment, LatencySummary>;
}

export interface AnatomySummary {
  sagas: number;
  /** order.placed committed → the outcome committed. */
  sagaMs: LatencySummary;
  /** Each segment summed over a saga's hops. */
  segments: Record<Segment, SegmentSummary>;
  /** In the order the sagas take them. */
  hops: HopSummary[];
}

/** Percentiles of every segment, per hop and summed over each saga, and of the saga itself. */
export function summarizeSagas(sagas: readonly SagaAnatomy[]): AnatomySummary {
  const saga = new LatencyRecorder();
  const sums = recordersOfSegments();
  const hops = new Map<string, { hop: Hop; positions: number; recorders: Record<Segment, LatencyRecorder> }>();
  for (const anatomy of sagas) {
    saga.record(anatomy.totalMs);
    for (const segment of SEGMENTS) sums[segment].record(anatomy.hops.reduce((sum, hop) => sum + hop.segments[segment], 0));
    anatomy.hops.forEach((hop, position) => {
      const key = `${hop.eventType} ${hop.producer} ${hop.consumer}`;
      const entry = hops.get(key) ?? { hop, positions: 0, recorders: recordersOfSegments() };
      entry.positions += position;
      for (const segment of SEGMENTS) entry.recorders[segment].record(hop.segments[segment]);
      hops.set(key, entry);
    });
  }
  const sagaMs = saga.summary();
  const share = (p50: number) => (sagaMs.p50 > 0 ? Math.round((p50 / sagaMs.p50) * 1000) / 10 : 0);
  return {
    sagas: sagas.length,
    sagaMs,
    segments: mapSegments((segment) => {
      const summary = sums[segment].summary();
      return { ...summary, shareOfSagaP50: share(summary.p50) };
    }),
    hops: [...hops.values()]
      .sort((a, b) => a.positions / a.recorders.outbox.count - b.positions / b.recorders.outbox.count)
      .map(({ hop, recorders }) => ({
        eventType: hop.eventType,
        producer: hop.producer,
        consumer: hop.consumer,
        segments: mapSegments((segment) => recorders[segment].summary()),
      })),
  };
}

function recordersOfSegments(): Record<Segment, LatencyRecorder> {
  return mapSegments(() => new LatencyRecorder());
}

function mapSegments<T>(value: (segment: Segment) => T): Record<Segment, T> {
  return Object.fromEntries(SEGMENTS.map((segment) => [segment, value(segment)])) as Record<Segment, T>;
}
