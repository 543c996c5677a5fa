import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SpanExporter, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { instrumentFetch } from './fetch-instrumentation';
import { serviceVersionOf, TracingConfig, tracingConfig } from './tracing-config';

export interface TracingOptions {
  /** The app's name, used unless OTEL_SERVICE_NAME names it otherwise. */
  serviceName: string;
  /** Replaces the exporter OTEL_TRACES_EXPORTER chooses (tests collect spans in memory). */
  exporter?: SpanExporter;
  /** Where the OTEL_* settings are read from: process.env unless a test sets them. */
  env?: NodeJS.ProcessEnv;
}

export interface Tracing {
  /** Exports what is still buffered, e.g. before the process exits. */
  flush(): Promise<void>;
  /** Exports what is still buffered and stops; spans started later are dropped. */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * Makes every span of this process part of a W3C trace: HTTP servers and clients (both
 * `node:http` and `fetch`) join the caller's trace and pass it on, and the messaging
 * transport does the same with NATS headers. Spans are always created, so logs of one
 * request share a trace id across services even when nothing exports them
 * (OTEL_TRACES_EXPORTER=none, the default); `otlp` sends them over OTLP/HTTP (JSON) to
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT, `console` prints them.
 *
 * Call it before the app creates its HTTP server; once per process (later calls return the first).
 */
export function startTracing(options: TracingOptions): Tracing {
  if (started) return started;
  const config = tracingConfig(options.env);
  const processors = spanProcessors(options.exporter ?? exporterOf(config), config);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME || options.serviceName,
      [ATTR_SERVICE_VERSION]: serviceVersionOf(config),
    }),
    spanProcessors: processors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  // Probes and scrapes would fill traces with noise.
  const unregister = registerInstrumentations({
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|\?|$)/.test(request.url ?? '') })],
  });
  // The http module is patched when it is next required; apps usually have loaded it by now.
  require('node:http');
  const uninstrumentFetch = instrumentFetch();
  started = {
    flush: () => provider.forceFlush(),
    async shutdown() {
      unregister();
      uninstrumentFetch();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      started = undefined;
    },
  };
  return started;
}

function exporterOf(config: TracingConfig): SpanExporter | undefined {
  switch (config.OTEL_TRACES_EXPORTER) {
    case 'none':
      return undefined;
    case 'otlp': {
      // Required only when chosen: the exporter brings the OTLP transformer and the metrics SDK,
      // memory an app that exports nothing (the default) would carry for nothing.
      const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
      return new OTLPTraceExporter();
    }
    case 'console':
      return new ConsoleSpanExporter();
  }
}

function spanProcessors(exporter: SpanExporter | undefined, config: TracingConfig): SpanProcessor[] {
  if (!exporter) return [];
  return [new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY })];
}
