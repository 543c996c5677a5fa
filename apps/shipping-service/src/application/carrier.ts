import { Address } from '../domain/address';

/** Why the carrier would not schedule a shipment: a country it does not ship to, or an address there it cannot deliver to. */
export type SchedulingRefusal = { kind: 'unsupported-destination' } | { kind: 'address-rejected' };

export type SchedulingOutcome = { kind: 'scheduled'; carrierShipmentId: string; trackingNumber: string } | SchedulingRefusal;

/**
 * Port to the parcel carrier. Booking and cancelling are idempotent per order, so
 * a retried call books or cancels one parcel. A destination the carrier does not
 * serve, or an address it refuses, is an outcome; an unreachable, throttling or
 * failing carrier is an error, so the caller retries later; a request of ours the
 * carrier can never accept is a `PermanentFailure`.
 */
export abstract class Carrier {
  abstract schedule(request: { orderId: string; address: Address }): Promise<SchedulingOutcome>;
  /** Cancelling a parcel that is already cancelled succeeds. */
  abstract cancel(request: { orderId: string; carrierShipmentId: string }): Promise<void>;
}
