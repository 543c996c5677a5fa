import { checkCausalOrder, StoredEvent } from './causal-order';
import { busiestSecond } from './compensation-rate';

const event = (stream: string, seq: number, storedAtNanos: bigint, id: string, causationId: string | null): StoredEvent => ({
  stream,
  seq,
  storedAtNanos,
  id,
  type: id,
  causationId,
  orderId: 'order-1',
});

describe('causal order of the streams', () => {
  it('accepts effects stored after their causes, in a stream by sequence and across streams by time', () => {
    const order = checkCausalOrder([
      event('ORDER', 1, 100n, 'placed', null),
      event('INVENTORY', 1, 200n, 'reserved', 'placed'),
      event('PAYMENT', 1, 300n, 'authorized', 'reserved'),
      event('ORDER', 2, 400n, 'confirmed', 'authorized'),
      event('ORDER', 3, 500n, 'cancelled-by-timer', 'timer-1'),
    ]);
    expect(order).toEqual({ checked: 3, uncaused: 1, findings: [] });
  });

  it('finds an effect stored before its cause, and judges a republished cause by its first copy', () => {
    const order = checkCausalOrder([
      event('ORDER', 1, 100n, 'placed', null),
      event('ORDER', 2, 150n, 'placed-again', 'placed'),
      event('PAYMENT', 1, 200n, 'authorized', 'reserved'),
      event('INVENTORY', 1, 300n, 'reserved', 'placed'),
      event('INVENTORY', 7, 900n, 'reserved', 'placed'),
    ]);
    expect(order.findings).toEqual([{ subject: 'event authorized', orderId: 'order-1', detail: 'authorized (PAYMENT #1) was stored before its cause reserved (INVENTORY #1)' }]);
  });

  it('finds an effect at a lower sequence than its cause in the same stream', () => {
    expect(checkCausalOrder([event('ORDER', 2, 100n, 'placed', null), event('ORDER', 1, 100n, 'confirmed', 'placed')]).findings).toHaveLength(1);
  });
});

describe('compensation rate', () => {
  it('counts the most operations within any one second, not per calendar second', () => {
    expect(busiestSecond([])).toEqual({ operations: 0, startedAt: undefined });
    expect(busiestSecond([5_900, 1_000, 1_500, 1_999, 2_000, 2_400, 2_998])).toEqual({ operations: 4, startedAt: 1_500 });
  });
});
