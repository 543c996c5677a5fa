import { HEADERS } from '@orders/contracts';
import { currentLogContext, traceIdOf } from '@orders/messaging';
import { loadConfig } from '@orders/config';
import { activeTraceId, serviceVersionConfigSchema, serviceVersionOf } from '@orders/tracing';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, LoggerOptions } from 'pino';
import { z } from 'zod';
import { isSafeId } from './safe-id';

export interface LoggingOptions {
  service: string;
  /** Where the lines go: standard output unless a test reads them. */
  destination?: DestinationStream;
}

/**
 * Payment tokens, addresses, credentials and Idempotency-Keys never reach a log line,
 * wherever in a logged object they sit (a request body, an error's details).
 */
const REDACTED_PATHS = ['token', 'paymentToken', 'shippingAddress', 'address', 'authorization', 'cookie', 'idempotencyKey', '["idempotency-key"]', 'password'].flatMap((key) =>
  [key, `*.${key}`, `*.*.${key}`].map((path) => path.replace('.[', '[')),
);

/** LOG_LEVEL, LOG_FORMAT (`json`, or `pretty` for a person watching the terminal) and the version the lines name. */
export const loggingConfigSchema = serviceVersionConfigSchema.extend({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});
export type LoggingConfig = z.output<typeof loggingConfigSchema>;

/** Probes and scrapes would drown the request lines that matter. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * JSON lines (pretty ones with LOG_FORMAT=pretty, for a person watching the local stack)
 * at LOG_LEVEL, each naming the service and its version. Lines written for an HTTP request
 * carry its request, correlation and trace ids; those written while a message is handled
 * carry the message's (bound by the messaging transport, see `withLogContext`).
 */
export function loggingModule(options: LoggingOptions, env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(loggingConfigSchema, env);
  const pinoOptions: LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: options.service, version: serviceVersionOf(config) },
    mixin: () => ({ ...currentLogContext() }),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return LoggerModule.forRoot({
    pinoHttp: [
      {
        ...pinoOptions,
        genReqId: (request: IncomingMessage) => single(request.headers[HEADERS.requestId]) ?? '',
        customProps: (request: IncomingMessage) => requestLogContext(request),
        // Method, path and status only: headers and bodies hold credentials and personal data.
        serializers: {
          req: (request: { method?: string; url?: string }) => ({ method: request.method, url: request.url }),
          res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
        },
        customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) => logLevelOf(response.statusCode, error),
        autoLogging: { ignore: (request: IncomingMessage) => UNLOGGED_PATHS.test(request.url ?? '') },
      },
      options.destination ?? destination(config),
    ],
  });
}

/** The request id (set by the request id middleware) doubles as the correlation id when the caller sent none. */
function requestLogContext(request: IncomingMessage): Record<string, string> {
  const requestId = single(request.headers[HEADERS.requestId]);
  const inboundCorrelationId = single(request.headers[HEADERS.correlationId]);
  const correlationId = isSafeId(inboundCorrelationId) ? inboundCorrelationId : requestId;
  // The request's own span (the HTTP instrumentation's) when tracing runs, so the line leads to its trace.
  const traceId = activeTraceId() ?? traceIdOf(single(request.headers[HEADERS.traceparent]));
  return Object.fromEntries(Object.entries({ requestId, correlationId, traceId }).filter(([, value]) => value !== undefined)) as Record<string, string>;
}

function destination(config: LoggingConfig): DestinationStream {
  if (config.LOG_FORMAT === 'pretty') return prettyLines();
  return process.stdout;
}

/** Required only when asked for: deployed apps write JSON, and loading pino-pretty would cost each of them memory for nothing. */
function prettyLines(): DestinationStream {
  const pinoPretty = require('pino-pretty') as typeof import('pino-pretty');
  return pinoPretty({ singleLine: true, sync: true, ignore: 'pid,hostname' });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** 503 says "busy or unreachable, retry shortly": expected under load, so a warning, where any other 5xx is an error. */
function logLevelOf(status: number, error?: Error): 'info' | 'warn' | 'error' {
  if (status === 503) return 'warn';
  return error || status >= 500 ? 'error' : 'info';
}
