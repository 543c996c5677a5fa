import { DomainError, Money } from '@orders/shared-kernel';
import { StockItem } from './stock-item';

const at = new Date('2026-01-01T09:00:00Z');
const adjustment = (available: number) => ({ id: 'a1', available, adjustedBy: 'ops-user', adjustedAt: at });

/** 7 available, 2 reserved, 3 committed. */
const mug = () => new StockItem('SKU-MUG', 'Enamel mug', Money.of(1250, 'EUR'), 7, 2, 3);

describe('StockItem.adjustAvailable', () => {
  it('replaces the units for sale and records from → to, leaving reserved and committed units alone', () => {
    const item = mug();

    expect(item.adjustAvailable(adjustment(40))).toEqual({ id: 'a1', sku: 'SKU-MUG', previousAvailable: 7, available: 40, adjustedBy: 'ops-user', adjustedAt: at });
    expect([item.available, item.reserved, item.committed]).toEqual([40, 2, 3]);
  });

  it('may take every unit off sale', () => {
    const item = mug();

    expect(item.adjustAvailable(adjustment(0))).toMatchObject({ previousAvailable: 7, available: 0 });
    expect(item.canReserve(1)).toBe(false);
  });

  it('records nothing when the count is already this one', () => {
    const item = mug();

    expect(item.adjustAvailable(adjustment(7))).toBeNull();
    expect([item.available, item.reserved, item.committed]).toEqual([7, 2, 3]);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses %p units and keeps the count', (available) => {
    const item = mug();

    expect(() => item.adjustAvailable(adjustment(available))).toThrow(DomainError);
    expect(item.available).toBe(7);
  });
});
