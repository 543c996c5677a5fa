import { decodeEnvelope, InventoryCommitted } from '@orders/contracts';
import { randomUUID } from 'node:crypto';
import { fromPreciseIso, toPreciseIso } from './precise-time';

describe('precise timestamps', () => {
  it('keep microseconds through an ISO string', () => {
    const epochMs = 1_763_766_000_123.456;
    const iso = toPreciseIso(epochMs);
    expect(iso).toBe('2025-11-21T23:00:00.123456Z');
    expect(fromPreciseIso(iso)).toBeCloseTo(epochMs, 3);
  });

  it('read plain millisecond timestamps too', () => {
    expect(fromPreciseIso('2025-11-21T23:00:00.123Z')).toBe(Date.parse('2025-11-21T23:00:00.123Z'));
  });

  it('are accepted as occurredAt by the envelope schema, so the stamp survives validation', () => {
    const envelope = {
      ...InventoryCommitted.create({ orderId: randomUUID(), reservationId: randomUUID() }, { correlationId: 'test' }),
      occurredAt: toPreciseIso(Date.now() + 0.25),
    };
    const parsed = InventoryCommitted.parse(decodeEnvelope(new TextEncoder().encode(JSON.stringify(envelope))));
    expect(parsed.occurredAt).toBe(envelope.occurredAt);
  });
});
