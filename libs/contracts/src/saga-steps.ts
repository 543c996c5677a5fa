import { EventDefinition } from './event-definition';
import {
  InventoryCommitted,
  InventoryRejected,
  InventoryReleased,
  InventoryReserved,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentFailed,
  PaymentRefunded,
  PaymentVoided,
  ShippingCancelled,
  ShippingFailed,
  ShippingScheduled,
} from './events';
import { CancellationReason } from './primitives';

/**
 * The steps the participants report for an order, in the order the saga usually takes them. A
 * step is named as the entry it becomes on the order's timeline, which customers see.
 */
export const SAGA_STEPS = ['INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED', 'PAYMENT_CAPTURED', 'INVENTORY_COMMITTED'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

/** A participant undid one of its steps after the saga failed or the order was cancelled; named as its timeline entry too. */
export const COMPENSATIONS = ['INVENTORY_RELEASED', 'INVENTORY_RESTOCKED', 'PAYMENT_VOIDED', 'PAYMENT_REFUNDED', 'SHIPMENT_CANCELLED'] as const;
export type Compensation = (typeof COMPENSATIONS)[number];

/** Why the saga gave up on an order; the customer's own cancellation is not the saga's. */
export type SagaCancellationReason = Exclude<CancellationReason, 'CUSTOMER_CANCELLED'>;

/** The stages of an order's payment in its read model, in the order a later one supersedes an earlier one. */
export const PAYMENT_STAGES = ['FAILED', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED'] as const;
export type PaymentStage = (typeof PAYMENT_STAGES)[number];

/** The stages of an order's shipment in its read model, in the order a later one supersedes an earlier one. */
export const SHIPMENT_STAGES = ['FAILED', 'SCHEDULED', 'CANCELLED'] as const;
export type ShipmentStage = (typeof SHIPMENT_STAGES)[number];

/** What an event tells about the order's payment or shipment, which the order itself does not keep. */
export type ReadModelStage = { payment: PaymentStage } | { shipment: ShipmentStage };

/** What an event does to the order: it takes a step, cancels the order, or records a compensation. */
export type SagaEffect = { kind: 'step'; step: SagaStep } | { kind: 'cancellation'; reason: SagaCancellationReason } | { kind: 'compensation'; compensation: Compensation };

export interface SagaEventMeaning {
  readonly event: EventDefinition<unknown>;
  /** The values of the event's `reason` this meaning is for; absent when it is the meaning of every event of its type. */
  readonly reasons?: readonly string[];
  readonly effect: SagaEffect;
  readonly readModel?: ReadModelStage;
}

/**
 * What each event a participant publishes about an order means to the order: the one place that
 * names a step, its timeline entry, its read-model stage and the cancellation reason of a failure.
 */
export const SAGA_EVENT_MEANINGS: readonly SagaEventMeaning[] = [
  { event: InventoryReserved, effect: { kind: 'step', step: 'INVENTORY_RESERVED' } },
  // An unknown SKU is stock the platform does not have, so it is out of stock to the customer.
  { event: InventoryRejected, effect: { kind: 'cancellation', reason: 'OUT_OF_STOCK' } },
  { event: PaymentAuthorized, effect: { kind: 'step', step: 'PAYMENT_AUTHORIZED' }, readModel: { payment: 'AUTHORIZED' } },
  // The customer is told the card was declined whichever way the provider said no.
  { event: PaymentFailed, effect: { kind: 'cancellation', reason: 'PAYMENT_DECLINED' }, readModel: { payment: 'FAILED' } },
  { event: ShippingScheduled, effect: { kind: 'step', step: 'SHIPMENT_SCHEDULED' }, readModel: { shipment: 'SCHEDULED' } },
  // An address the carrier refused is the customer's to correct; anything else the carrier would not take, no address would fix.
  { event: ShippingFailed, reasons: ['ADDRESS_REJECTED'], effect: { kind: 'cancellation', reason: 'ADDRESS_REJECTED' }, readModel: { shipment: 'FAILED' } },
  {
    event: ShippingFailed,
    reasons: ['UNSUPPORTED_DESTINATION', 'CARRIER_REJECTED'],
    effect: { kind: 'cancellation', reason: 'SHIPPING_UNAVAILABLE' },
    readModel: { shipment: 'FAILED' },
  },
  { event: PaymentCaptured, effect: { kind: 'step', step: 'PAYMENT_CAPTURED' }, readModel: { payment: 'CAPTURED' } },
  { event: InventoryCommitted, effect: { kind: 'step', step: 'INVENTORY_COMMITTED' } },
  // An expired reservation means the saga missed its deadline; the other releases undo a step of a failed or cancelled order.
  { event: InventoryReleased, reasons: ['EXPIRED'], effect: { kind: 'cancellation', reason: 'TIMED_OUT' } },
  { event: InventoryReleased, reasons: ['COMPENSATION'], effect: { kind: 'compensation', compensation: 'INVENTORY_RELEASED' } },
  { event: InventoryReleased, reasons: ['RESTOCKED'], effect: { kind: 'compensation', compensation: 'INVENTORY_RESTOCKED' } },
  { event: PaymentVoided, effect: { kind: 'compensation', compensation: 'PAYMENT_VOIDED' }, readModel: { payment: 'VOIDED' } },
  { event: PaymentRefunded, effect: { kind: 'compensation', compensation: 'PAYMENT_REFUNDED' }, readModel: { payment: 'REFUNDED' } },
  { event: ShippingCancelled, effect: { kind: 'compensation', compensation: 'SHIPMENT_CANCELLED' }, readModel: { shipment: 'CANCELLED' } },
];

/** The entry an event's effect adds to the order's timeline. */
export function timelineEntryOf(effect: SagaEffect): SagaStep | Compensation | 'ORDER_CANCELLED' {
  switch (effect.kind) {
    case 'step':
      return effect.step;
    case 'cancellation':
      return 'ORDER_CANCELLED';
    case 'compensation':
      return effect.compensation;
  }
}

/** What an event of `type`, with `reason` in its data if it has one, means to the order. */
export function sagaEventMeaning(type: string, reason?: string): SagaEventMeaning {
  const meaning = SAGA_EVENT_MEANINGS.find((candidate) => candidate.event.type === type && (!candidate.reasons || (reason !== undefined && candidate.reasons.includes(reason))));
  if (!meaning) throw new Error(`${type}${reason === undefined ? '' : ` (${reason})`} means nothing to an order`);
  return meaning;
}
