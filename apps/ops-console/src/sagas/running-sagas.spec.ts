import { deadLettersByOrder, formatCountdown, msLeftAt } from './running-sagas';

const ORDER_A = '6f1c1a7e-8a57-4a57-9d5e-0f8f0f5d1b11';
const ORDER_B = '0b8e4c52-8a3f-4f53-9d7a-6f1e2c9b7a10';

describe('running sagas', () => {
  it('finds the dead letters about each order by the order id in their payload, lowest id first', () => {
    const byOrder = deadLettersByOrder([
      { id: 9, payload: { type: 'order.cancelled', data: { orderId: ORDER_A } } },
      { id: 4, payload: { type: 'payment.authorized', data: { orderId: ORDER_A } } },
      { id: 5, payload: { data: { orderId: ORDER_B } } },
      { id: 6, payload: 'not json' },
    ]);
    expect(byOrder.get(ORDER_A)).toEqual([4, 9]);
    expect(byOrder.get(ORDER_B)).toEqual([5]);
    expect(byOrder.size).toBe(2);
  });

  it("counts down to the deadline on the server's clock: as old as it was read, plus the time since", () => {
    const saga = { placedAt: '2026-12-07T10:00:00.000Z', ageMs: 60_000, deadline: '2026-12-07T10:05:00.000Z' };
    expect(msLeftAt(saga, 0)).toBe(240_000);
    expect(msLeftAt(saga, 30_000)).toBe(210_000);
    expect(msLeftAt(saga, 300_000)).toBe(-60_000);
  });

  it('reads a countdown as time left, or as overdue once the deadline passed', () => {
    expect(formatCountdown(210_000)).toBe('3 min 30 s left');
    expect(formatCountdown(4_200)).toBe('4.2 s left');
    expect(formatCountdown(-60_000)).toBe('overdue by 1 min 0 s');
  });
});
