import { SpanKind } from '@orders/tracing';

/** A span as the anatomy reads it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Absent on the root of a trace. */
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** `service.name` of the process that exported it. */
  service: string;
  /** Milliseconds since the epoch, to the microsecond. */
  startMs: number;
  endMs: number;
  attributes: Record<string, string | number | boolean>;
  events: Array<{ name: string; timeMs: number }>;
  /** Its status is ERROR. */
  failed: boolean;
}

/** A number in OTLP/JSON: int64 values may come as decimal strings. */
type OtlpNumber = number | string;

interface OtlpKeyValue {
  key: string;
  value?: { stringValue?: string; boolValue?: boolean; intValue?: OtlpNumber; doubleValue?: number };
}

interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: OtlpNumber;
  endTimeUnixNano?: OtlpNumber;
  attributes?: OtlpKeyValue[];
  events?: Array<{ name?: string; timeUnixNano?: OtlpNumber }>;
  status?: { code?: number };
}

/** The body of `POST /v1/traces` in OTLP/HTTP JSON. */
export interface ExportTraceServiceRequest {
  resourceSpans?: Array<{ resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
}

/** OTLP numbers span kinds from 1 (INTERNAL), the API from 0. */
const OTLP_KIND_OFFSET = 1;
const OTLP_STATUS_ERROR = 2;

/**
 * The spans of an export request as @opentelemetry/otlp-transformer's JSON serializer writes
 * them: ids in hex, times as decimal strings of nanoseconds since the epoch (plain numbers are
 * read too), the service in the resource's `service.name`. Spans without ids or times are skipped.
 */
export function spansOfExportRequest(request: ExportTraceServiceRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const { resource, scopeSpans } of request.resourceSpans ?? []) {
    const service = String(attributesOf(resource?.attributes)['service.name'] ?? 'unknown');
    for (const { spans: scoped } of scopeSpans ?? []) {
      for (const span of scoped ?? []) {
        const { traceId, spanId, startTimeUnixNano, endTimeUnixNano } = span;
        if (!traceId || !spanId || startTimeUnixNano === undefined || endTimeUnixNano === undefined) continue;
        spans.push({
          traceId,
          spanId,
          parentSpanId: span.parentSpanId || undefined,
          name: span.name ?? '',
          kind: (span.kind ?? OTLP_KIND_OFFSET) - OTLP_KIND_OFFSET,
          service,
          startMs: nanosToMs(startTimeUnixNano),
          endMs: nanosToMs(endTimeUnixNano),
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map((event) => ({ name: event.name ?? '', timeMs: nanosToMs(event.timeUnixNano ?? 0) })),
          failed: span.status?.code === OTLP_STATUS_ERROR,
        });
      }
    }
  }
  return spans;
}

/** Nanoseconds since the epoch exceed a double's exact integers; microseconds as milliseconds do not. */
export function nanosToMs(nanos: OtlpNumber): number {
  if (typeof nanos === 'number') return nanos / 1e6;
  return Number(BigInt(nanos) / 1000n) / 1000;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const scalar = value?.stringValue ?? value?.boolValue ?? value?.doubleValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
    if (scalar !== undefined) attributes[key] = scalar;
  }
  return attributes;
}
