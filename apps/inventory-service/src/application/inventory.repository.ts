import { Transaction } from '@orders/persistence';
import { Reservation } from '../domain/reservation';
import { StockAdjustment } from '../domain/stock-adjustment';
import { StockItem } from '../domain/stock-item';

/** Persistence port of the inventory use cases; every method works inside the caller's transaction. */
export abstract class InventoryRepository {
  /**
   * Loads and row-locks the stock of these SKUs in SKU order, the one order in which every
   * transaction locks stock, so that none waits for a SKU while holding one that comes after it.
   * A transaction locks all the stock it changes in one call: a second call could break that order.
   */
  abstract lockStock(tx: Transaction, skus: readonly string[]): Promise<Map<string, StockItem>>;
  abstract saveStock(tx: Transaction, items: Iterable<StockItem>): Promise<void>;
  abstract saveAdjustment(tx: Transaction, adjustment: StockAdjustment): Promise<void>;
  abstract findReservationByOrder(tx: Transaction, orderId: string, options?: { lock: boolean }): Promise<Reservation | null>;
  abstract saveReservation(tx: Transaction, reservation: Reservation): Promise<void>;
  /** Reservations past their expiry, locked and skipped by other replicas sweeping at the same time. */
  abstract lockExpiredReservations(tx: Transaction, now: Date, limit: number): Promise<Reservation[]>;
  abstract listProducts(skus?: readonly string[]): Promise<StockItem[]>;
}
