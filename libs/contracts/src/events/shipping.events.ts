import { z } from 'zod';
import { defineEvent } from '../event-definition';

export const ShippingScheduled = defineEvent('shipping.scheduled', {
  schema: z.object({
    orderId: z.uuid(),
    shipmentId: z.uuid(),
    trackingNumber: z.string().min(1).max(64),
  }),
});

/**
 * The carrier would not take the parcel: it does not ship to the country (UNSUPPORTED_DESTINATION),
 * or it refused the customer's address as one it cannot deliver to (ADDRESS_REJECTED, added to v1
 * as a new value; every older message stays valid).
 */
export const ShippingFailed = defineEvent('shipping.failed', {
  schema: z.object({
    orderId: z.uuid(),
    shipmentId: z.uuid(),
    reason: z.enum(['UNSUPPORTED_DESTINATION', 'CARRIER_REJECTED', 'ADDRESS_REJECTED']),
  }),
});

/** A compensation: the parcel booked with the carrier was cancelled because the order was. */
export const ShippingCancelled = defineEvent('shipping.cancelled', {
  schema: z.object({ orderId: z.uuid(), shipmentId: z.uuid() }),
});
