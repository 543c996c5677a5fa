import { DomainError, Money } from '@orders/shared-kernel';
import { Reservation } from './reservation';
import { StockItem } from './stock-item';

const expiresAt = new Date('2026-01-01T00:10:00Z');

function stock(...items: Array<[string, number, number]>): Map<string, StockItem> {
  return new Map(items.map(([sku, available, price]) => [sku, new StockItem(sku, sku, Money.of(price, 'EUR'), available, 0, 0)]));
}

describe('Reservation', () => {
  it('reserves every line, locks prices and totals them', () => {
    const items = stock(['A', 5, 1000], ['B', 2, 250]);
    const outcome = Reservation.attempt({ id: 'r1', orderId: 'o1', requested: [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 2 }], stock: items, expiresAt });
    if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
    expect(outcome.reservation.total.toJSON()).toEqual({ amount: 2500, currency: 'EUR' });
    expect(outcome.reservation.lines.map((line) => line.unitPrice.amount)).toEqual([1000, 250]);
    expect([items.get('A')!.available, items.get('A')!.reserved, items.get('B')!.available]).toEqual([3, 2, 0]);
  });

  it('merges lines of the same SKU before checking stock', () => {
    const items = stock(['A', 3, 100]);
    const outcome = Reservation.attempt({ id: 'r1', orderId: 'o1', requested: [{ sku: 'A', quantity: 2 }, { sku: 'A', quantity: 2 }], stock: items, expiresAt });
    expect(outcome).toEqual({ kind: 'rejected', reason: 'OUT_OF_STOCK', skus: ['A'] });
    expect(items.get('A')!.available).toBe(3);
  });

  it('reserves nothing when one line is short or unknown', () => {
    const items = stock(['A', 5, 100], ['B', 1, 100]);
    expect(Reservation.attempt({ id: 'r', orderId: 'o', requested: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }], stock: items, expiresAt })).toEqual({
      kind: 'rejected',
      reason: 'OUT_OF_STOCK',
      skus: ['B'],
    });
    expect(Reservation.attempt({ id: 'r', orderId: 'o', requested: [{ sku: 'A', quantity: 1 }, { sku: 'NOPE', quantity: 1 }], stock: items, expiresAt })).toEqual({
      kind: 'rejected',
      reason: 'UNKNOWN_SKU',
      skus: ['NOPE'],
    });
    expect(items.get('A')!.available).toBe(5);
  });

  it('commits or releases exactly once', () => {
    const items = stock(['A', 5, 100]);
    const outcome = Reservation.attempt({ id: 'r', orderId: 'o', requested: [{ sku: 'A', quantity: 2 }], stock: items, expiresAt });
    if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
    outcome.reservation.commit(items);
    expect([items.get('A')!.available, items.get('A')!.reserved, items.get('A')!.committed]).toEqual([3, 0, 2]);
    expect(() => outcome.reservation.release(items)).toThrow(DomainError);
  });

  it('expires only while still reserved', () => {
    const items = stock(['A', 5, 100]);
    const outcome = Reservation.attempt({ id: 'r', orderId: 'o', requested: [{ sku: 'A', quantity: 1 }], stock: items, expiresAt });
    if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
    expect(outcome.reservation.isExpired(new Date('2026-01-01T00:09:59Z'))).toBe(false);
    expect(outcome.reservation.isExpired(expiresAt)).toBe(true);
    outcome.reservation.release(items);
    expect(outcome.reservation.isExpired(expiresAt)).toBe(false);
    expect(items.get('A')!.available).toBe(5);
  });

  it('never lets stock go negative', () => {
    const item = new StockItem('A', 'A', Money.of(1, 'EUR'), 1, 0, 0);
    expect(() => item.reserve(2)).toThrow(DomainError);
    expect(() => item.release(1)).toThrow(DomainError);
  });
});
