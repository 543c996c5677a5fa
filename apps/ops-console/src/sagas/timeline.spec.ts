import { formatDuration, serviceOf, timelineHops } from './timeline';

const PLACED_AT = Date.parse('2026-12-07T10:00:00.000Z');

/** An order placed at PLACED_AT whose timeline has each entry the given milliseconds later. */
function orderWith(entries: Array<[type: string, afterMs: number]>) {
  const at = (ms: number) => new Date(PLACED_AT + ms).toISOString();
  return { createdAt: at(0), timeline: entries.map(([type, afterMs]) => ({ type, at: at(afterMs) })) };
}

describe('saga timeline', () => {
  it('names the service of each entry and how long each hop took, in time order', () => {
    const hops = timelineHops(
      orderWith([
        ['PAYMENT_AUTHORIZED', 450],
        ['ORDER_PLACED', 0],
        ['INVENTORY_RESERVED', 120],
      ]),
    );
    expect(hops.map(({ type, service, hopMs, sinceOrderMs }) => ({ type, service, hopMs, sinceOrderMs }))).toEqual([
      { type: 'ORDER_PLACED', service: 'order-service', hopMs: 0, sinceOrderMs: 0 },
      { type: 'INVENTORY_RESERVED', service: 'inventory-service', hopMs: 120, sinceOrderMs: 120 },
      { type: 'PAYMENT_AUTHORIZED', service: 'payment-service', hopMs: 330, sinceOrderMs: 450 },
    ]);
  });

  it('marks what ran after the cancellation as compensations', () => {
    const hops = timelineHops(
      orderWith([
        ['ORDER_PLACED', 0],
        ['INVENTORY_RESERVED', 100],
        ['ORDER_CANCELLED', 200],
        ['INVENTORY_RELEASED', 300],
        ['SHIPMENT_CANCELLED', 400],
      ]),
    );
    expect(hops.filter((hop) => hop.compensation).map((hop) => hop.type)).toEqual(['INVENTORY_RELEASED', 'SHIPMENT_CANCELLED']);
    expect(serviceOf('SHIPMENT_CANCELLED')).toBe('shipping-service');
    expect(serviceOf('SOMETHING_NEW')).toBe('unknown');
  });

  it('reads durations as milliseconds, seconds, then minutes', () => {
    expect([formatDuration(250), formatDuration(1_500), formatDuration(125_000)]).toEqual(['250 ms', '1.5 s', '2 min 5 s']);
  });
});
