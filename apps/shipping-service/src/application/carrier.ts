import { Address } from '../domain/address';

/** Why the carrier would not book: a country it does not ship to, or an address there it cannot deliver to. */
export type BookingRefusal = { kind: 'unsupported-destination' } | { kind: 'address-rejected' };

export type BookingOutcome = { kind: 'booked'; carrierShipmentId: string; trackingNumber: string } | BookingRefusal;

/**
 * Port to the parcel carrier. Booking and cancelling are idempotent per order, so
 * a retried call books or cancels one parcel. A destination the carrier does not
 * serve, or an address it refuses, is an outcome; an unreachable, throttling or
 * failing carrier is an error, so the caller retries later; a request of ours the
 * carrier can never accept is a `PermanentFailure`.
 */
export abstract class Carrier {
  abstract book(request: { orderId: string; address: Address }): Promise<BookingOutcome>;
  /** Cancelling a parcel that is already cancelled succeeds. */
  abstract cancel(request: { orderId: string; carrierShipmentId: string }): Promise<void>;
}
