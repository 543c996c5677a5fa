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
   * Moves the watermark forward to `occurredAt`, never back, after the event's transaction
   * committed; it is stored within a second. Not inside that transaction, where every saga
   * transaction would hold the one watermark row's lock until its commit, serializing them
   * all; and not once per event, which would cost a transaction per event for a figure that
   * monitoring reads in seconds.
   */
  abstract advanceWatermark(occurredAt: Date): void;
}
