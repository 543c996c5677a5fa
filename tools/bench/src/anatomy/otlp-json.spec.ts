import { SpanKind } from '@orders/tracing';
import { nanosToMs, spansOfExportRequest } from './otlp-json';

describe('spans of an OTLP/HTTP JSON export request', () => {
  it('reads ids, kinds, times, attributes, events, status and the service, as the JSON serializer writes them', () => {
    const spans = spansOfExportRequest({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'inventory-service' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  parentSpanId: 'eee19b7ec3c1b173',
                  name: 'order.placed process',
                  kind: 5,
                  startTimeUnixNano: '1760000000123456789',
                  endTimeUnixNano: '1760000000125456789',
                  attributes: [
                    { key: 'order.id', value: { stringValue: 'o-1' } },
                    { key: 'retries', value: { intValue: '2' } },
                    { key: 'sampled', value: { boolValue: false } },
                  ],
                  events: [{ name: 'handler.start', timeUnixNano: '1760000000124000000' }],
                  status: { code: 2 },
                },
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'root',
                  name: 'POST',
                  kind: 2,
                  startTimeUnixNano: 1760000000000000000,
                  endTimeUnixNano: '1760000000200000000',
                },
              ],
            },
          ],
        },
      ],
    });

    expect(spans[0]).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: 'order.placed process',
      kind: SpanKind.CONSUMER,
      service: 'inventory-service',
      startMs: 1760000000123.456,
      endMs: 1760000000125.456,
      attributes: { 'order.id': 'o-1', retries: 2, sampled: false },
      events: [{ name: 'handler.start', timeMs: 1760000000124 }],
      failed: true,
    });
    expect(spans[1]).toMatchObject({ kind: SpanKind.SERVER, parentSpanId: undefined, startMs: 1760000000000, failed: false });
  });

  it('skips spans without ids or times, and takes an empty request', () => {
    expect(spansOfExportRequest({ resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: 'a', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] })).toEqual([]);
    expect(spansOfExportRequest({})).toEqual([]);
  });

  it('keeps microseconds of nanosecond times since the epoch', () => {
    expect(nanosToMs('1760000000123456789')).toBe(1760000000123.456);
  });
});
