import { MoneyDto } from '@orders/contracts';
import { Transaction } from '@orders/messaging';

/** The stages a payment goes through, in the order a later one supersedes an earlier one. */
export const PAYMENT_STAGES = ['FAILED', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED'] as const;
export type PaymentStage = (typeof PAYMENT_STAGES)[number];

/** The stages a shipment goes through, in the order a later one supersedes an earlier one. */
export const SHIPMENT_STAGES = ['FAILED', 'SCHEDULED', 'CANCELLED'] as const;
export type ShipmentStage = (typeof SHIPMENT_STAGES)[number];

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
