import { ShipmentView } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { Shipment } from '../domain/shipment';

/** Persistence port of the shipping use cases. */
export abstract class ShipmentRepository {
  /** The last committed state, read outside any transaction (e.g. before calling the carrier). */
  abstract findByOrder(orderId: string): Promise<Shipment | null>;
  /** Loads and row-locks the order's shipment inside the caller's transaction. */
  abstract lockByOrder(tx: Transaction, orderId: string): Promise<Shipment | null>;
  abstract save(tx: Transaction, shipment: Shipment): Promise<void>;
  /** Adds `shipment` unless its order has a shipment already, in whatever state. */
  abstract addUnlessOrderHasOne(tx: Transaction, shipment: Shipment): Promise<void>;
  abstract findView(orderId: string): Promise<ShipmentView | null>;
}
