import type { DeadLetterSummary } from '../api';
import { errorSignature, groupDeadLetters, matchesFilter, NO_FILTER, orderIdOf, servicesOf } from './groups';

const ORDER_A = '7d6f0a52-3c1e-4b7a-9f2d-1e8c5b4a3f21';
const ORDER_B = '0b9e4c11-8a2f-4d3c-b5e6-7f1a2c3d4e5f';

function deadLetter(overrides: Partial<DeadLetterSummary>): DeadLetterSummary {
  return {
    id: 1,
    subject: 'order.cancelled.v1',
    stream: 'ORDER',
    streamSequence: 10,
    service: 'payment-service',
    consumer: 'payment-service-order-cancelled',
    error: 'payment-provider refused POST /v1/captures/cap_1/refunds with 429',
    kind: 'exhausted',
    attempts: 8,
    failedAt: '2026-12-07T10:00:00.000Z',
    ...overrides,
  };
}

describe('dead-letter groups', () => {
  const refundLate = deadLetter({ id: 3, failedAt: '2026-12-07T10:05:00.000Z', error: `refund of ${ORDER_B} refused with 429 after 8 attempts` });
  const refundEarly = deadLetter({ id: 1, failedAt: '2026-12-07T10:01:00.000Z', error: `refund of ${ORDER_A} refused with 429 after 3 attempts` });
  const shipment = deadLetter({
    id: 2,
    service: 'shipping-service',
    consumer: 'shipping-service-payment-authorized',
    subject: 'payment.authorized.v1',
    error: 'carrier refused with 401',
  });

  it('groups by consumer with counts and the first and last time seen, the largest group first', () => {
    expect(groupDeadLetters([refundLate, shipment, refundEarly], 'consumer')).toEqual([
      {
        key: 'payment-service / payment-service-order-cancelled',
        count: 2,
        firstSeen: refundEarly.failedAt,
        lastSeen: refundLate.failedAt,
        deadLetters: [refundEarly, refundLate],
      },
      { key: 'shipping-service / shipping-service-payment-authorized', count: 1, firstSeen: shipment.failedAt, lastSeen: shipment.failedAt, deadLetters: [shipment] },
    ]);
  });

  it('groups by error, one group for one cause whatever order or number it names', () => {
    const groups = groupDeadLetters([refundLate, shipment, refundEarly], 'error');
    expect(groups.map(({ key, count }) => ({ key, count }))).toEqual([
      { key: 'refund of … refused with N after N attempts', count: 2 },
      { key: 'carrier refused with N', count: 1 },
    ]);
    expect(errorSignature('sequence 42 of 7d6f0a52-3c1e-4b7a-9f2d-1e8c5b4a3f21')).toBe('sequence N of …');
  });

  it('filters by service and by text in the error, subject or consumer, ignoring case', () => {
    expect(matchesFilter(shipment, NO_FILTER)).toBe(true);
    expect(matchesFilter(shipment, { service: 'payment-service', text: '' })).toBe(false);
    expect(matchesFilter(shipment, { service: '', text: 'CARRIER' })).toBe(true);
    expect(matchesFilter(shipment, { service: '', text: 'payment.authorized' })).toBe(true);
    expect(matchesFilter(shipment, { service: '', text: 'refund' })).toBe(false);
    expect(servicesOf([refundLate, shipment, refundEarly])).toEqual(['payment-service', 'shipping-service']);
  });

  it('finds the order an event envelope is about, and none in anything else', () => {
    expect(orderIdOf({ type: 'order.cancelled', data: { orderId: ORDER_A } })).toBe(ORDER_A);
    expect(orderIdOf({ data: { orderId: 42 } })).toBeUndefined();
    expect(orderIdOf('not json')).toBeUndefined();
    expect(orderIdOf(null)).toBeUndefined();
  });
});
