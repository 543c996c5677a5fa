import { ORDER_ID_ATTRIBUTE } from '@orders/tracing';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ExportTraceServiceRequest, ReceivedSpan, spansOfExportRequest } from './otlp-json';
import { SagaAnatomy, sagaAnatomies } from './saga-anatomy';

export const TRACES_PATH = '/v1/traces';
const POLL_MS = 100;

/**
 * The smallest OTLP/HTTP trace collector: takes the apps' span exports (`POST /v1/traces`, JSON,
 * gzipped or not), keeps the spans by trace, and tells the sagas they show.
 */
export class SpanCollector {
  private readonly traces = new Map<string, ReceivedSpan[]>();
  private readonly tracesOfOrders = new Map<string, Set<string>>();
  private received = 0;
  private server?: Server;
  private baseUrl?: string;

  /** Listens on `host:port` (port 0: any free one). */
  static async listen({ host = '127.0.0.1', port = 4318 }: { host?: string; port?: number } = {}): Promise<SpanCollector> {
    const collector = new SpanCollector();
    const server = createServer((request, response) => collector.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    collector.server = server;
    collector.baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
    return collector;
  }

  /** What the apps take as OTEL_EXPORTER_OTLP_ENDPOINT (they add /v1/traces). */
  get endpoint(): string {
    if (!this.baseUrl) throw new Error('The collector is not listening');
    return this.baseUrl;
  }

  /** The spans received so far. */
  get spanCount(): number {
    return this.received;
  }

  /** The spans of one trace received so far. */
  spansOf(traceId: string): readonly ReceivedSpan[] {
    return this.traces.get(traceId) ?? [];
  }

  /** The saga of one order, once all its spans have arrived. */
  sagaOf(orderId: string): SagaAnatomy | undefined {
    for (const traceId of this.tracesOfOrders.get(orderId) ?? []) {
      const saga = sagaAnatomies(this.traces.get(traceId) ?? []).find((candidate) => candidate.orderId === orderId);
      if (saga) return saga;
    }
    return undefined;
  }

  /** Every saga whose spans have all arrived and whose outcome committed between two moments (ms since the epoch). */
  sagasEndedBetween(fromMs: number, toMs: number): SagaAnatomy[] {
    return [...this.traces.values()].flatMap((spans) => sagaAnatomies(spans).filter((saga) => saga.endedAtMs >= fromMs && saga.endedAtMs < toMs));
  }

  /** Waits until the sagas of these orders have all arrived, or `timeoutMs` passed; `missing` are those that had not. */
  async waitForSagas(orderIds: Iterable<string>, timeoutMs: number): Promise<{ sagas: SagaAnatomy[]; missing: string[] }> {
    const found = new Map<string, SagaAnatomy>();
    const waiting = new Set(orderIds);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const orderId of waiting) {
        const saga = this.sagaOf(orderId);
        if (saga) {
          found.set(orderId, saga);
          waiting.delete(orderId);
        }
      }
      if (waiting.size === 0 || Date.now() >= deadline) return { sagas: [...found.values()], missing: [...waiting] };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // The exporters keep their connections open between exports.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'POST' || request.url?.split('?')[0] !== TRACES_PATH) {
      response.writeHead(404).end();
      return;
    }
    if (!String(request.headers['content-type']).includes('json')) {
      response.writeHead(415, { 'content-type': 'text/plain' }).end('Only OTLP/HTTP JSON is read here');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = Buffer.concat(chunks);
        const json = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        this.add(spansOfExportRequest(JSON.parse(json) as ExportTraceServiceRequest));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
      }
    });
  }

  private add(spans: ReceivedSpan[]): void {
    this.received += spans.length;
    for (const span of spans) {
      const trace = this.traces.get(span.traceId);
      if (trace) trace.push(span);
      else this.traces.set(span.traceId, [span]);
      const orderId = span.attributes[ORDER_ID_ATTRIBUTE];
      if (orderId !== undefined) this.tracesOfOrders.set(String(orderId), (this.tracesOfOrders.get(String(orderId)) ?? new Set()).add(span.traceId));
    }
  }
}
