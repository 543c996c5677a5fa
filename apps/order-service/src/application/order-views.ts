import { MoneyDto, PaymentStage, ShipmentStage } from '@orders/contracts';
import { Transaction } from '@orders/persistence';

/** What a saga event tells about the order's payment or shipment, which the order itself does not keep. */
export type ParticipantFact = { payment: PaymentStage; amount?: MoneyDto } | { shipment: ShipmentStage; trackingNumber?: string };

/**
 * The projection side of the order read model (`order_views`): the order's own part is
 * written by the OrderRepository with the order; this port adds what only the saga
 * events tell, joining the caller's transaction, and the watermark of the events applied.
 */
export abstract class OrderViews {
  /** Keeps the latest stage whatever order the events arrive in; the amount and tracking number are kept once known. */
  abstract recordFact(tx: Transaction, orderId: string, fact: ParticipantFact): Promise<void>;
  /**
   * Moves the watermark forward to `occurredAt`, never back. On its own, after the event's
   * transaction committed: inside it, every saga transaction would hold the one watermark
   * row's lock until its commit, serializing them all.
   */
  abstract advanceWatermark(occurredAt: Date): Promise<void>;
}
