import { waitFor } from '@orders/testing';
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { orderOf, platformForSuite, PlatformOptions } from './support/platform';

const APPS = ['gateway', 'order-service', 'inventory-service', 'payment-service', 'shipping-service'] as const;

/** A span as OTLP/JSON carries it, with the service that exported it. */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP numbering: 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER. */
  kind: number;
}

interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{ spans?: Array<Omit<ExportedSpan, 'service'>> }>;
  }>;
}

/** The smallest OTLP/HTTP trace collector: keeps every span posted to /v1/traces as JSON. */
class TraceCollector {
  readonly spans: ExportedSpan[] = [];
  private server?: Server;

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/v1/traces') this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private collect(traces: OtlpTraces): void {
    for (const { resource, scopeSpans } of traces.resourceSpans ?? []) {
      const service = resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? 'unknown';
      for (const { spans } of scopeSpans ?? []) for (const span of spans ?? []) this.spans.push({ ...span, service });
    }
  }
}

describe('traces of one order across all apps', () => {
  const collector = new TraceCollector();
  // Filled in before the platform starts (hooks run in the order they were declared), once the collector has a port.
  const env: NonNullable<PlatformOptions['env']> = {};
  beforeAll(async () => {
    const endpoint = await collector.start();
    for (const app of APPS) env[app] = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
  });
  afterAll(() => collector.stop());
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

    const ofTrace = () => collector.spans.filter((span) => span.traceId === traceId);
    const byName = (service: string, name: string) => ofTrace().find((span) => span.service === service && span.name === name);
    // The last hops (inventory committing, order confirming) finish just after the order reads CONFIRMED.
    await waitFor(() => byName('order-service', 'inventory.committed process') && byName('inventory-service', 'payment.captured process'), {
      timeoutMs: 15_000,
      description: 'the spans of the saga’s last steps to be exported',
    });

    const spans = ofTrace();
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(APPS));
    const parentOf = (span: ExportedSpan | undefined) => spans.find((candidate) => candidate.spanId === span?.parentSpanId);

    // gateway (HTTP server) → fetch → order-service (HTTP server)
    const orderServer = spans.find((span) => span.service === 'order-service' && span.kind === 2);
    expect(parentOf(orderServer)).toMatchObject({ service: 'gateway', kind: 3 });
    expect(parentOf(parentOf(orderServer))).toMatchObject({ service: 'gateway', kind: 2 });
    // Each event's consumers are children of the span that published it, in another service.
    for (const [consumer, type, producer] of [
      ['inventory-service', 'order.placed', 'order-service'],
      ['payment-service', 'inventory.reserved', 'inventory-service'],
      ['shipping-service', 'payment.authorized', 'payment-service'],
    ] as const) {
      const consumed = byName(consumer, `${type} process`);
      expect(consumed).toMatchObject({ kind: 5 });
      expect(parentOf(consumed)).toMatchObject({ service: producer, name: `${type} publish`, kind: 4 });
    }
  });
});
