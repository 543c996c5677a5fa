import { context, propagation } from '@opentelemetry/api';
// What @opentelemetry/exporter-trace-otlp-http sends; the exporter itself cannot run under Jest (it imports lazily).
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { endProducerSpans, inSpan, SpanKind, spanClock, startProducerSpan, startTracing, Tracing } from '@orders/tracing';
import { gzipSync } from 'node:zlib';
import { SpanCollector, TRACES_PATH } from './span-collector';

describe('the span collector', () => {
  const spans = new InMemorySpanExporter();
  let collector: SpanCollector;
  let tracing: Tracing;

  const exportSpans = async () => {
    await tracing.flush();
    const body = Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans()) ?? []);
    const response = await fetch(`${collector.endpoint}${TRACES_PATH}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    collector = await SpanCollector.listen({ port: 0 });
    tracing = startTracing({ serviceName: 'collector-spec', exporter: spans, env: {} });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await collector.close();
  });

  it('takes what the OTLP/HTTP exporter sends and finds the saga of an order in it', async () => {
    const orderId = crypto.randomUUID();
    await inSpan({ name: 'POST', kind: SpanKind.SERVER }, async () => {
      const placed = startProducerSpan('order.placed publish', { 'messaging.operation.type': 'create', 'order.id': orderId });
      endProducerSpans([placed.span]);
      // The relay and the consumer continue the PRODUCER span whose context the message carries.
      const message = propagation.extract(context.active(), placed.headers);
      await inSpan({ name: 'orders.placed send', kind: SpanKind.CLIENT, parent: message, attributes: { 'messaging.operation.type': 'send' } }, async () => undefined);
      await inSpan({ name: 'order.placed process', kind: SpanKind.CONSUMER, parent: message, attributes: { 'order.id': orderId } }, async (span) => {
        span.addEvent('handler.start', spanClock());
        const confirmed = startProducerSpan('order.confirmed publish', { 'messaging.operation.type': 'create', 'order.id': orderId });
        endProducerSpans([confirmed.span]);
      });
    });
    await exportSpans();

    expect(collector.spanCount).toBeGreaterThanOrEqual(5);
    const { sagas, missing } = await collector.waitForSagas([orderId], 2_000);
    expect(missing).toEqual([]);
    expect(sagas[0]).toMatchObject({ orderId, outcome: 'order.confirmed', hops: [{ eventType: 'order.placed', producer: 'collector-spec', consumer: 'collector-spec' }] });
    expect(sagas[0].totalMs).toBeGreaterThan(0);
    expect(collector.sagasEndedBetween(sagas[0].endedAtMs, sagas[0].endedAtMs + 1)).toHaveLength(1);
    expect(collector.sagasEndedBetween(0, sagas[0].endedAtMs)).toEqual([]);
  });

  it('reads gzipped JSON, and refuses protobuf and other paths', async () => {
    const post = (path: string, body: Buffer, headers: Record<string, string>) => fetch(`${collector.endpoint}${path}`, { method: 'POST', body, headers });
    const json = Buffer.from(JSON.stringify({ resourceSpans: [] }));
    expect((await post(TRACES_PATH, gzipSync(json), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(200);
    expect((await post(TRACES_PATH, json, { 'content-type': 'application/x-protobuf' })).status).toBe(415);
    expect((await post(TRACES_PATH, Buffer.from('{'), { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post('/v1/metrics', json, { 'content-type': 'application/json' })).status).toBe(404);
  });
});
