import { SpanStatusCode, trace } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { endProducerSpans, inSpan, orderAttributes, SpanKind, spanClock, startProducerSpan, startTracing, Tracing } from './index';

describe('messaging spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;

  const finished = async (name: string): Promise<ReadableSpan[]> => {
    await tracing.flush();
    return exporter.getFinishedSpans().filter((span) => span.name === name);
  };
  const ms = (span: ReadableSpan) => ({ start: hrTimeToMilliseconds(span.startTime), end: hrTimeToMilliseconds(span.endTime) });

  beforeAll(() => {
    tracing = startTracing({ serviceName: 'message-tracing-spec', exporter, env: {} });
  });
  afterAll(() => tracing.shutdown());

  it('keep the order of spans recorded one after another below a millisecond, where Date.now() would not', async () => {
    for (let index = 0; index < 50; index += 1) await inSpan({ name: 'step', kind: SpanKind.INTERNAL }, async () => undefined);
    const steps = (await finished('step')).map(ms);
    for (let index = 1; index < steps.length; index += 1) expect(steps[index].start).toBeGreaterThanOrEqual(steps[index - 1].end);
  });

  it('start when told, e.g. when the message was received, and take the times of their events from the same clock', async () => {
    const received = spanClock();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await inSpan({ name: 'handled', kind: SpanKind.CONSUMER, startTime: received }, async (span) => {
      span.addEvent('handler.start', spanClock());
    });
    const [span] = await finished('handled');
    expect(span.startTime).toEqual(received);
    const handlerStart = hrTimeToMilliseconds(span.events[0].time);
    expect(handlerStart - ms(span).start).toBeGreaterThanOrEqual(19);
    expect(ms(span).end).toBeGreaterThanOrEqual(handlerStart);
  });

  it('give a PRODUCER span the trace headers that continue it, and end it when told: at the commit, or failed at a rollback', async () => {
    const committed = startProducerSpan('order.placed publish', { 'order.id': 'o-1' });
    const rolledBack = startProducerSpan('order.cancelled publish', {});
    expect(committed.headers.traceparent).toBe(`00-${committed.span.spanContext().traceId}-${committed.span.spanContext().spanId}-01`);
    expect(await finished('order.placed publish')).toEqual([]);

    endProducerSpans([committed.span]);
    endProducerSpans([rolledBack.span], { error: new Error('serialization failure') });
    const [placed] = await finished('order.placed publish');
    const [cancelled] = await finished('order.cancelled publish');
    expect(placed).toMatchObject({ kind: SpanKind.PRODUCER, attributes: { 'order.id': 'o-1' }, status: { code: SpanStatusCode.UNSET } });
    expect(cancelled.status).toEqual({ code: SpanStatusCode.ERROR, message: 'serialization failure' });
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('name the order an event is about, when its data has one', () => {
    expect(orderAttributes({ orderId: 'o-1', total: 3 })).toEqual({ 'order.id': 'o-1' });
    for (const data of [{}, null, undefined, { orderId: 7 }, 'o-1']) expect(orderAttributes(data)).toEqual({});
  });
});
