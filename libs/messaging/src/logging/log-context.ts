import { MsgHdrs } from '@nats-io/transport-node';
import { HEADERS } from '@orders/contracts';
import { activeTraceId } from '@orders/tracing';
import { AsyncLocalStorage } from 'node:async_hooks';

/** What ties a log line to the request or message it was written for. */
export interface LogContext {
  correlationId?: string;
  requestId?: string;
  traceId?: string;
  eventId?: string;
  eventType?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `task` so that every line logged while it runs, however deep, carries `context`. */
export function withLogContext<T>(context: LogContext, task: () => T): T {
  return storage.run(omitUndefined(context), task);
}

/**
 * The context of the message being handled now; empty outside any. Meant as the loggers' mixin.
 * Its trace id is the active span's when there is one, so a line leads to the trace it was written in.
 */
export function currentLogContext(): LogContext {
  const context = storage.getStore() ?? {};
  const traceId = activeTraceId();
  return traceId ? { ...context, traceId } : context;
}

/** Adds what is learnt while handling a message (e.g. its event id, once decoded) to the lines written from now on. */
export function extendLogContext(context: LogContext): void {
  const current = storage.getStore();
  if (current) Object.assign(current, omitUndefined(context));
}

/** The context a NATS message carries in its headers. */
export function logContextOfHeaders(headers: MsgHdrs | undefined): LogContext {
  return {
    correlationId: headers?.get(HEADERS.correlationId) || undefined,
    requestId: headers?.get(HEADERS.requestId) || undefined,
    traceId: traceIdOf(headers?.get(HEADERS.traceparent)),
  };
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The trace-id part of a W3C `traceparent`, if it is well formed (an all-zero trace id is invalid). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const traceId = traceparent?.trim().toLowerCase().match(TRACEPARENT)?.[1];
  return traceId && !/^0+$/.test(traceId) ? traceId : undefined;
}

function omitUndefined(context: LogContext): LogContext {
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined));
}
