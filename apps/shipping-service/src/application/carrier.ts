import { Address } from '../domain/address';

export type BookingOutcome =
  | { kind: 'booked'; carrierShipmentId: string; trackingNumber: string }
  | { kind: 'unsupported-destination' };

/**
 * Port to the parcel carrier. Booking and cancelling are idempotent per order, so
 * a retried call books or cancels one parcel. A destination the carrier does not
 * serve is an outcome; an unreachable, throttling or failing carrier is an error,
 * so the caller retries later; a request the carrier can never accept is a
 * `PermanentFailure`.
 */
export abstract class Carrier {
  abstract book(request: { orderId: string; address: Address }): Promise<BookingOutcome>;
  /** Cancelling a parcel that is already cancelled succeeds. */
  abstract cancel(request: { orderId: string; carrierShipmentId: string }): Promise<void>;
}
