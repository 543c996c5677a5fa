import { DomainError, Money } from '@orders/shared-kernel';
import { StockAdjustment } from './stock-adjustment';

/**
 * Stock of one SKU. Units move from `available` to `reserved` when an order is
 * placed, then to `committed` once it is paid, or back to `available` when the
 * reservation is released; sold units go back to `available` when a paid order is
 * cancelled (restocked). None of the three ever goes negative, and moves never
 * change their sum: only an operator's adjustment of `available` does.
 */
export class StockItem {
  constructor(
    readonly sku: string,
    readonly name: string,
    readonly price: Money,
    private _available: number,
    private _reserved: number,
    private _committed: number,
  ) {}

  get available(): number {
    return this._available;
  }

  get reserved(): number {
    return this._reserved;
  }

  get committed(): number {
    return this._committed;
  }

  canReserve(quantity: number): boolean {
    return quantity <= this._available;
  }

  reserve(quantity: number): void {
    if (!this.canReserve(quantity)) {
      throw new DomainError('OUT_OF_STOCK', `Only ${this._available} of ${this.sku} available, ${quantity} requested`);
    }
    this._available -= quantity;
    this._reserved += quantity;
  }

  commit(quantity: number): void {
    this.takeReserved(quantity);
    this._committed += quantity;
  }

  release(quantity: number): void {
    this.takeReserved(quantity);
    this._available += quantity;
  }

  restock(quantity: number): void {
    if (quantity > this._committed) {
      throw new DomainError('RESERVATION_MISMATCH', `${this.sku} has only ${this._committed} committed, cannot restock ${quantity}`);
    }
    this._committed -= quantity;
    this._available += quantity;
  }

  /**
   * Replaces the units still for sale with an operator's count; units reserved for or sold to
   * orders are not the operator's to change. Null when the count is already this: nothing to record.
   */
  adjustAvailable(adjustment: Omit<StockAdjustment, 'sku' | 'previousAvailable'>): StockAdjustment | null {
    if (!Number.isSafeInteger(adjustment.available) || adjustment.available < 0) {
      throw new DomainError('INVALID_STOCK', `${this.sku} cannot have ${adjustment.available} units available`);
    }
    if (adjustment.available === this._available) return null;
    const previousAvailable = this._available;
    this._available = adjustment.available;
    return { ...adjustment, sku: this.sku, previousAvailable };
  }

  private takeReserved(quantity: number): void {
    if (quantity > this._reserved) {
      throw new DomainError('RESERVATION_MISMATCH', `${this.sku} has only ${this._reserved} reserved, cannot take ${quantity}`);
    }
    this._reserved -= quantity;
  }
}
