import { Address } from '../domain/address';

export type BookingOutcome =
  | { kind: 'booked'; carrierShipmentId: string; trackingNumber: string }
  | { kind: 'unsupported-destination' };

/**
 * Port to the parcel carrier. Booking is idempotent per order, so a retried call
 * books one parcel. A destination the carrier does not serve is an outcome; an
 * unreachable or failing carrier is an error, so the caller retries later.
 */
export abstract class Carrier {
  abstract book(request: { orderId: string; address: Address }): Promise<BookingOutcome>;
}
