import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { activeTraceId, startTracing, Tracing } from './index';

describe('startTracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;

  beforeAll(() => {
    tracing = startTracing({ serviceName: 'tracing-spec', exporter, env: {} });
  });

  afterAll(() => tracing.shutdown());

  it('sends the active span along with fetch, as the parent of a CLIENT span, replacing a traceparent the caller set', async () => {
    await withServer(async (url, received) => {
      const forwarded = '00-11111111111111111111111111111111-2222222222222222-01';
      const root = await trace.getTracer('spec').startActiveSpan('root', async (span) => {
        expect(activeTraceId()).toBe(span.spanContext().traceId);
        await (await fetch(url, { headers: { traceparent: forwarded } })).text();
        span.end();
        return span.spanContext();
      });
      await tracing.flush();

      const client = exporter.getFinishedSpans().find((span) => span.name === 'GET' && span.parentSpanContext?.spanId === root.spanId);
      expect(client?.spanContext().traceId).toBe(root.traceId);
      expect(received[0].traceparent).toBe(`00-${root.traceId}-${client?.spanContext().spanId}-01`);
    });
  });

  it('continues a traceparent the caller set when fetch is called outside any span', async () => {
    await withServer(async (url, received) => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      await (await fetch(url, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })).text();
      expect(received[0].traceparent).toMatch(new RegExp(`^00-${traceId}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`));
    });
  });

  it('has no trace id outside any span', () => {
    expect(activeTraceId()).toBeUndefined();
  });

  it('refuses an exporter it does not know rather than silently exporting nothing', async () => {
    await tracing.shutdown();
    expect(() => startTracing({ serviceName: 'tracing-spec', env: { OTEL_TRACES_EXPORTER: 'zipkin' } })).toThrow(
      /zipkin is not supported: use otlp, console or none\s*→ at OTEL_TRACES_EXPORTER/,
    );
    tracing = startTracing({ serviceName: 'tracing-spec', exporter, env: {} });
  });
});

/** Runs `task` against a local HTTP server that records the headers of the requests it gets. */
async function withServer(task: (url: string, received: IncomingHttpHeaders[]) => Promise<void>): Promise<void> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers);
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await task(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received);
  } finally {
    server.close();
  }
}
