import { DomainError, Money } from '@orders/shared-kernel';
import { StockItem } from './stock-item';

export interface RequestedLine {
  sku: string;
  quantity: number;
}

export interface ReservedLine {
  sku: string;
  quantity: number;
  /** Price locked when the stock was reserved; later catalogue changes do not affect the order. */
  unitPrice: Money;
}

/** RESERVED → COMMITTED (paid) → RESTOCKED (paid, then cancelled), or RESERVED → RELEASED. */
export type ReservationStatus = 'RESERVED' | 'COMMITTED' | 'RELEASED' | 'RESTOCKED';
export type RejectionReason = 'OUT_OF_STOCK' | 'UNKNOWN_SKU';

export type ReservationOutcome = { kind: 'reserved'; reservation: Reservation } | { kind: 'rejected'; reason: RejectionReason; skus: string[] };

/** Stock held for one order: all lines or none, priced, until it is committed, released or expires. At most one per order. */
export class Reservation {
  private constructor(
    readonly id: string,
    readonly orderId: string,
    readonly lines: readonly ReservedLine[],
    readonly expiresAt: Date,
    private _status: ReservationStatus,
  ) {}

  static restore(props: { id: string; orderId: string; lines: ReservedLine[]; expiresAt: Date; status: ReservationStatus }): Reservation {
    return new Reservation(props.id, props.orderId, props.lines, props.expiresAt, props.status);
  }

  /**
   * Stands for an order cancelled before its stock was reserved: a RELEASED reservation
   * without lines, so that an `order.placed` arriving later reserves nothing.
   */
  static tombstone(props: { id: string; orderId: string; at: Date }): Reservation {
    return new Reservation(props.id, props.orderId, [], props.at, 'RELEASED');
  }

  /**
   * Reserves every requested line from `stock` (the locked rows of those SKUs) or
   * nothing at all. Lines for the same SKU are merged first.
   */
  static attempt(input: { id: string; orderId: string; requested: readonly RequestedLine[]; stock: ReadonlyMap<string, StockItem>; expiresAt: Date }): ReservationOutcome {
    const wanted = mergeLines(input.requested);
    const unknown = wanted.filter((line) => !input.stock.has(line.sku)).map((line) => line.sku);
    if (unknown.length > 0) return { kind: 'rejected', reason: 'UNKNOWN_SKU', skus: unknown };
    const short = wanted.filter((line) => !input.stock.get(line.sku)!.canReserve(line.quantity)).map((line) => line.sku);
    if (short.length > 0) return { kind: 'rejected', reason: 'OUT_OF_STOCK', skus: short };

    const currencies = new Set(wanted.map((line) => input.stock.get(line.sku)!.price.currency));
    if (currencies.size > 1) throw new DomainError('MIXED_CURRENCIES', 'An order cannot mix prices in different currencies');

    const lines = wanted.map((line) => {
      const item = input.stock.get(line.sku)!;
      item.reserve(line.quantity);
      return { sku: line.sku, quantity: line.quantity, unitPrice: item.price };
    });
    return { kind: 'reserved', reservation: new Reservation(input.id, input.orderId, lines, input.expiresAt, 'RESERVED') };
  }

  get status(): ReservationStatus {
    return this._status;
  }

  get total(): Money {
    const currency = this.lines[0].unitPrice.currency;
    return Money.sum(
      this.lines.map((line) => line.unitPrice.multiply(line.quantity)),
      currency,
    );
  }

  isExpired(now: Date): boolean {
    return this._status === 'RESERVED' && now.getTime() >= this.expiresAt.getTime();
  }

  commit(stock: ReadonlyMap<string, StockItem>): void {
    this.move('RESERVED', 'COMMITTED', stock, (item, quantity) => item.commit(quantity));
  }

  release(stock: ReadonlyMap<string, StockItem>): void {
    this.move('RESERVED', 'RELEASED', stock, (item, quantity) => item.release(quantity));
  }

  /** The order was paid and then cancelled: its sold units go back on sale. */
  restock(stock: ReadonlyMap<string, StockItem>): void {
    this.move('COMMITTED', 'RESTOCKED', stock, (item, quantity) => item.restock(quantity));
  }

  private move(from: ReservationStatus, to: ReservationStatus, stock: ReadonlyMap<string, StockItem>, change: (item: StockItem, quantity: number) => void): void {
    if (this._status !== from) {
      throw new DomainError('RESERVATION_SETTLED', `Reservation ${this.id} is ${this._status}, not ${from}`);
    }
    for (const line of this.lines) {
      const item = stock.get(line.sku);
      if (!item) throw new DomainError('RESERVATION_MISMATCH', `Stock for ${line.sku} is missing`);
      change(item, line.quantity);
    }
    this._status = to;
  }
}

function mergeLines(lines: readonly RequestedLine[]): RequestedLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}
