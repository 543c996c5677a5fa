import { SpanKind } from '@orders/tracing';
import { ReceivedSpan } from './otlp-json';
import { sagaAnatomies, SagaAnatomy, summarizeSagas } from './saga-anatomy';

const TRACE = 'a'.repeat(32);
const ORDER = 'order-1';
let ids = 0;

function span(fields: Partial<ReceivedSpan> & Pick<ReceivedSpan, 'name' | 'kind' | 'service' | 'startMs' | 'endMs'>): ReceivedSpan {
  ids += 1;
  return { traceId: TRACE, spanId: `span-${ids}`, attributes: {}, events: [], failed: false, ...fields };
}

/** An event's PRODUCER span (insert → commit) under `parent`, and the relay's publish of it. */
function produced(parent: ReceivedSpan, type: string, committedAt: number, sentAt: number, orderId = ORDER): [ReceivedSpan, ReceivedSpan] {
  const publish = span({
    name: `${type} publish`,
    kind: SpanKind.PRODUCER,
    service: parent.service,
    startMs: committedAt - 1,
    endMs: committedAt,
    parentSpanId: parent.spanId,
    attributes: { 'messaging.operation.type': 'create', 'order.id': orderId },
  });
  const send = span({
    name: `orders.${type} send`,
    kind: SpanKind.CLIENT,
    service: parent.service,
    startMs: sentAt,
    endMs: sentAt + 0.5,
    parentSpanId: publish.spanId,
    attributes: { 'messaging.operation.type': 'send' },
  });
  return [publish, send];
}

/** A consumer's span: received at `receivedAt`, handler from `handlerAt` to `endAt`. */
function consumed(publish: ReceivedSpan, service: string, receivedAt: number, handlerAt: number, endAt: number): ReceivedSpan {
  return span({
    name: `${publish.name.replace(' publish', '')} process`,
    kind: SpanKind.CONSUMER,
    service,
    startMs: receivedAt,
    endMs: endAt,
    parentSpanId: publish.spanId,
    attributes: { 'messaging.operation.type': 'process', 'order.id': ORDER },
    events: [{ name: 'handler.start', timeMs: handlerAt }],
  });
}

/** order.placed from an HTTP request → inventory-service → inventory.reserved → order-service, which confirms (times in ms). */
function confirmedSaga(offset = 0) {
  const at = (ms: number) => 1_000 + offset + ms;
  const request = span({ name: 'POST', kind: SpanKind.SERVER, service: 'order-service', startMs: at(-5), endMs: at(12) });
  const [placed, placedSent] = produced(request, 'order.placed', at(10), at(12));
  const reserving = consumed(placed, 'inventory-service', at(13), at(14), at(25));
  const [reserved, reservedSent] = produced(reserving, 'inventory.reserved', at(20), at(23));
  const confirming = consumed(reserved, 'order-service', at(24), at(27), at(40));
  const [confirmed, confirmedSent] = produced(confirming, 'order.confirmed', at(35), at(36));
  // order-service records order.placed's step too: a branch off the critical path.
  const timeline = consumed(placed, 'order-service', at(12.5), at(12.6), at(30));
  return { spans: [request, placed, placedSent, reserving, reserved, reservedSent, confirming, confirmed, confirmedSent, timeline], placed, reserving, reserved, confirming };
}

describe('a saga walked back from the handler that ended it', () => {
  it('splits each hop into outbox, broker, queueing and handler, which add up to the saga', () => {
    const [saga] = sagaAnatomies(confirmedSaga().spans);

    expect(saga).toEqual<SagaAnatomy>({
      traceId: TRACE,
      orderId: ORDER,
      outcome: 'order.confirmed',
      placedAtMs: 1_010,
      endedAtMs: 1_035,
      totalMs: 25,
      hops: [
        { eventType: 'order.placed', producer: 'order-service', consumer: 'inventory-service', segments: { outbox: 2, broker: 1, queueing: 1, handler: 6 }, afterCommitMs: 5 },
        {
          eventType: 'inventory.reserved',
          producer: 'inventory-service',
          consumer: 'order-service',
          segments: { outbox: 3, broker: 1, queueing: 3, handler: 8 },
          afterCommitMs: 5,
        },
      ],
    });
  });

  it('takes the publish the consumer received: the last before its receipt that did not fail', () => {
    const { spans, reserved, confirming } = confirmedSaga();
    const retried = span({ name: 'retried send', kind: SpanKind.CLIENT, service: 'inventory-service', startMs: 1_021, endMs: 1_022, parentSpanId: reserved.spanId, failed: true });
    const late = { ...retried, spanId: 'late', startMs: confirming.startMs + 1, failed: false };
    retried.attributes = late.attributes = { 'messaging.operation.type': 'send' };

    expect(sagaAnatomies([...spans, retried, late])[0].hops[1].segments).toMatchObject({ outbox: 3, broker: 1 });
  });

  it('waits for every span on the path: a saga with one missing is not complete yet', () => {
    const { spans, reserving } = confirmedSaga();
    expect(sagaAnatomies(spans.filter((candidate) => candidate !== reserving))).toEqual([]);
    expect(sagaAnatomies(spans.filter((candidate) => candidate.parentSpanId !== reserving.spanId || candidate.kind !== SpanKind.PRODUCER))).toEqual([]);
    const withoutHandlerStart = spans.map((candidate) => (candidate === reserving ? { ...candidate, events: [] } : candidate));
    expect(sagaAnatomies(withoutHandlerStart)).toEqual([]);
  });

  it('leaves out an order cancelled outside any handler, e.g. by its customer', () => {
    const request = span({ name: 'POST', kind: SpanKind.SERVER, service: 'order-service', startMs: 0, endMs: 5 });
    expect(sagaAnatomies([request, ...produced(request, 'order.cancelled', 4, 6)])).toEqual([]);
  });
});

describe('the anatomy of many sagas', () => {
  it('gives percentiles per hop and segment, the segments summed over each saga, and their share of the saga p50', () => {
    const sagas = [0, 100, 200].flatMap((offset) => sagaAnatomies(confirmedSaga(offset).spans));
    const slower = { ...sagas[2], totalMs: 35, hops: [sagas[2].hops[0], { ...sagas[2].hops[1], segments: { ...sagas[2].hops[1].segments, handler: 18 } }] };

    const summary = summarizeSagas([sagas[0], sagas[1], slower]);

    // The recorders keep three significant digits.
    const about = (ms: number) => expect.closeTo(ms, 1);
    expect(summary.sagas).toBe(3);
    expect(summary.sagaMs).toMatchObject({ count: 3, p50: about(25), max: about(35) });
    expect(summary.hops.map((hop) => [hop.eventType, hop.producer, hop.consumer])).toEqual([
      ['order.placed', 'order-service', 'inventory-service'],
      ['inventory.reserved', 'inventory-service', 'order-service'],
    ]);
    expect(summary.hops[1].segments.handler).toMatchObject({ count: 3, p50: about(8), p99: about(18) });
    expect(summary.segments.outbox).toMatchObject({ p50: about(5), shareOfSagaP50: expect.closeTo(20, 0) });
    expect(summary.segments.handler).toMatchObject({ p50: about(14), max: about(24), shareOfSagaP50: expect.closeTo(56, 0) });
  });

  it('is empty without sagas', () => {
    expect(summarizeSagas([])).toMatchObject({ sagas: 0, hops: [], segments: { outbox: { count: 0, shareOfSagaP50: 0 } } });
  });
});
