import { ReceivedSpan, SpanCollector } from '@orders/bench';
import { waitFor } from '@orders/testing';
import { SpanKind } from '@orders/tracing';
import { randomBytes } from 'node:crypto';
import { orderOf, platformForSuite, PlatformOptions } from './support/platform';

const APPS = ['gateway', 'order-service', 'inventory-service', 'payment-service', 'shipping-service'] as const;

describe('traces of one order across all apps', () => {
  let collector: SpanCollector;
  // Filled in before the platform starts (hooks run in the order they were declared), once the collector has a port.
  const env: NonNullable<PlatformOptions['env']> = {};
  beforeAll(async () => {
    collector = await SpanCollector.listen({ port: 0 });
    for (const app of APPS) env[app] = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
  });
  afterAll(() => collector.close());
  const platform = platformForSuite({ env });

  it('form one trace, from the client request through the gateway to every service, each hop a child of the one before', async () => {
    const token = await platform.login('trace-reader');
    // The client starts the trace, so the test knows its id.
    const traceId = randomBytes(16).toString('hex');
    const placed = await platform.api<{ orderId: string }>('/api/v1/orders', {
      method: 'POST',
      token,
      headers: { 'idempotency-key': crypto.randomUUID(), traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify(orderOf([{ sku: 'SKU-MUG', quantity: 1 }])),
    });
    expect(placed.status).toBe(202);
    expect((await platform.settled(token, placed.body.orderId)).status).toBe('CONFIRMED');

    const ofTrace = () => collector.spansOf(traceId);
    const byName = (service: string, name: string) => ofTrace().find((span) => span.service === service && span.name === name);
    // The last hops (inventory committing, order confirming) finish just after the order reads CONFIRMED, and
    // each app exports its spans on its own schedule, later on a busy machine.
    const exportedBy = (app: string) => ofTrace().some((span) => span.service === app);
    await waitFor(() => APPS.every(exportedBy) && byName('order-service', 'inventory.committed process') && byName('inventory-service', 'payment.captured process'), {
      timeoutMs: 15_000,
      description: 'the spans of every app and of the saga’s last steps to be exported',
    });

    const spans = ofTrace();
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(APPS));
    const parentOf = (span: ReceivedSpan | undefined) => spans.find((candidate) => candidate.spanId === span?.parentSpanId);

    // gateway (HTTP server) → fetch → order-service (HTTP server)
    const orderServer = spans.find((span) => span.service === 'order-service' && span.kind === SpanKind.SERVER);
    expect(parentOf(orderServer)).toMatchObject({ service: 'gateway', kind: SpanKind.CLIENT });
    expect(parentOf(parentOf(orderServer))).toMatchObject({ service: 'gateway', kind: SpanKind.SERVER });
    // Each event's consumers are children of the span that published it, in another service.
    for (const [consumer, type, producer] of [
      ['inventory-service', 'order.placed', 'order-service'],
      ['payment-service', 'inventory.reserved', 'inventory-service'],
      ['shipping-service', 'payment.authorized', 'payment-service'],
    ] as const) {
      const consumed = byName(consumer, `${type} process`);
      expect(consumed).toMatchObject({ kind: SpanKind.CONSUMER });
      expect(parentOf(consumed)).toMatchObject({ service: producer, name: `${type} publish`, kind: SpanKind.PRODUCER });
    }
  });
});
