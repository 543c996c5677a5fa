import { Transaction } from '@orders/persistence';
import { Order } from '../domain/order';

/** Persistence port of the order use cases; writes work inside the caller's transaction. */
export abstract class OrderRepository {
  abstract insert(tx: Transaction, order: Order): Promise<void>;
  abstract save(tx: Transaction, order: Order): Promise<void>;
  /** Loads the order and holds a row lock on it until the transaction ends. */
  abstract lock(tx: Transaction, id: string): Promise<Order | null>;
  /**
   * Up to `limit` PENDING orders placed before `placedBefore`, oldest first, locked;
   * orders another transaction holds (e.g. another replica's sweep) are skipped.
   */
  abstract lockPendingPlacedBefore(tx: Transaction, placedBefore: Date, limit: number): Promise<Order[]>;
}
