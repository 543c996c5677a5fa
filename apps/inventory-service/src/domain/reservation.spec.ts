import { DomainError, Money } from '@orders/shared-kernel';
import { Reservation } from './reservation';
import { StockItem } from './stock-item';

const expiresAt = new Date('2026-01-01T00:10:00Z');

function stock(...items: Array<[string, number, number]>): Map<string, StockItem> {
  return new Map(items.map(([sku, available, price]) => [sku, new StockItem(sku, sku, Money.of(price, 'EUR'), available, 0, 0)]));
}

function itemOf(items: ReadonlyMap<string, StockItem>, sku: string): StockItem {
  const item = items.get(sku);
  if (!item) throw new Error(`no stock of ${sku}`);
  return item;
}

/** [available, reserved, committed] */
function counts(item: StockItem): [number, number, number] {
  return [item.available, item.reserved, item.committed];
}

describe('Reservation', () => {
  it('reserves every line, locks prices and totals them', () => {
    const items = stock(['A', 5, 1000], ['B', 2, 250]);
    const outcome = Reservation.attempt({
      id: 'r1',
      orderId: 'o1',
      requested: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 2 },
      ],
      stock: items,
      expiresAt,
    });
    if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
    expect(outcome.reservation.total.toJSON()).toEqual({ amount: 2500, currency: 'EUR' });
    expect(outcome.reservation.lines.map((line) => line.unitPrice.amount)).toEqual([1000, 250]);
    expect([itemOf(items, 'A').available, itemOf(items, 'A').reserved, itemOf(items, 'B').available]).toEqual([3, 2, 0]);
  });

  it('merges lines of the same SKU before checking stock', () => {
    const items = stock(['A', 3, 100]);
    const outcome = Reservation.attempt({
      id: 'r1',
      orderId: 'o1',
      requested: [
        { sku: 'A', quantity: 2 },
        { sku: 'A', quantity: 2 },
      ],
      stock: items,
      expiresAt,
    });
    expect(outcome).toEqual({ kind: 'rejected', reason: 'OUT_OF_STOCK', skus: ['A'] });
    expect(itemOf(items, 'A').available).toBe(3);
  });

  it('reserves nothing when one line is short or unknown', () => {
    const items = stock(['A', 5, 100], ['B', 1, 100]);
    expect(
      Reservation.attempt({
        id: 'r',
        orderId: 'o',
        requested: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 2 },
        ],
        stock: items,
        expiresAt,
      }),
    ).toEqual({
      kind: 'rejected',
      reason: 'OUT_OF_STOCK',
      skus: ['B'],
    });
    expect(
      Reservation.attempt({
        id: 'r',
        orderId: 'o',
        requested: [
          { sku: 'A', quantity: 1 },
          { sku: 'NOPE', quantity: 1 },
        ],
        stock: items,
        expiresAt,
      }),
    ).toEqual({
      kind: 'rejected',
      reason: 'UNKNOWN_SKU',
      skus: ['NOPE'],
    });
    expect(itemOf(items, 'A').available).toBe(5);
  });

  it('commits or releases exactly once', () => {
    const items = stock(['A', 5, 100]);
    const outcome = Reservation.attempt({ id: 'r', orderId: 'o', requested: [{ sku: 'A', quantity: 2 }], stock: items, expiresAt });
    if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
    outcome.reservation.commit(items);
    expect([itemOf(items, 'A').available, itemOf(items, 'A').reserved, itemOf(items, 'A').committed]).toEqual([3, 0, 2]);
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
    expect(itemOf(items, 'A').available).toBe(5);
  });

  it('restocks the sold units of a committed reservation, once', () => {
    const items = stock(['A', 5, 100], ['B', 3, 100]);
    const outcome = Reservation.attempt({
      id: 'r',
      orderId: 'o',
      requested: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 3 },
      ],
      stock: items,
      expiresAt,
    });
    if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
    expect(() => outcome.reservation.restock(items)).toThrow(DomainError);
    outcome.reservation.commit(items);
    outcome.reservation.restock(items);
    expect(outcome.reservation.status).toBe('RESTOCKED');
    expect(counts(itemOf(items, 'A'))).toEqual([5, 0, 0]);
    expect(counts(itemOf(items, 'B'))).toEqual([3, 0, 0]);
    expect(() => outcome.reservation.restock(items)).toThrow(DomainError);
    expect(() => outcome.reservation.release(items)).toThrow(DomainError);
    expect(() => outcome.reservation.commit(items)).toThrow(DomainError);
  });

  it('cannot restock a released reservation', () => {
    const items = stock(['A', 5, 100]);
    const outcome = Reservation.attempt({ id: 'r', orderId: 'o', requested: [{ sku: 'A', quantity: 2 }], stock: items, expiresAt });
    if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
    outcome.reservation.release(items);
    expect(() => outcome.reservation.restock(items)).toThrow(DomainError);
    expect(counts(itemOf(items, 'A'))).toEqual([5, 0, 0]);
  });

  it('keeps a tombstone for an order cancelled before its stock was reserved: released, without lines, never expiring', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const tombstone = Reservation.tombstone({ id: 'r', orderId: 'o', at });
    expect(tombstone.status).toBe('RELEASED');
    expect(tombstone.lines).toEqual([]);
    expect(tombstone.isExpired(new Date('2030-01-01T00:00:00Z'))).toBe(false);
    expect(() => tombstone.commit(new Map())).toThrow(DomainError);
    expect(() => tombstone.restock(new Map())).toThrow(DomainError);
  });

  describe('conserves available + reserved + committed', () => {
    const onHand = (items: Map<string, StockItem>) => [...items.values()].map((item) => item.available + item.reserved + item.committed);
    const reserve = (items: Map<string, StockItem>) => {
      const outcome = Reservation.attempt({
        id: 'r',
        orderId: 'o',
        requested: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
        stock: items,
        expiresAt,
      });
      if (outcome.kind !== 'reserved') throw new Error('expected a reservation');
      return outcome.reservation;
    };

    it.each<[string, (reservation: Reservation, items: Map<string, StockItem>) => void]>([
      ['reserve', () => undefined],
      ['reserve, release', (reservation, items) => reservation.release(items)],
      ['reserve, commit', (reservation, items) => reservation.commit(items)],
      [
        'reserve, commit, restock',
        (reservation, items) => {
          reservation.commit(items);
          reservation.restock(items);
        },
      ],
    ])('across %s', (_label, moves) => {
      const items = stock(['A', 4, 100], ['B', 1, 100]);
      const before = onHand(items);
      moves(reserve(items), items);
      expect(onHand(items)).toEqual(before);
      for (const item of items.values()) expect(Math.min(...counts(item))).toBeGreaterThanOrEqual(0);
    });
  });

  it('never lets stock go negative', () => {
    const item = new StockItem('A', 'A', Money.of(1, 'EUR'), 1, 0, 0);
    expect(() => item.reserve(2)).toThrow(DomainError);
    expect(() => item.release(1)).toThrow(DomainError);
    expect(() => item.commit(1)).toThrow(DomainError);
    expect(() => item.restock(1)).toThrow(DomainError);
    expect(counts(item)).toEqual([1, 0, 0]);
  });
});
