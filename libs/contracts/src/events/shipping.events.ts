import { z } from 'zod';
import { defineEvent } from '../event-definition';

export const ShippingScheduled = defineEvent('shipping.scheduled', {
  schema: z.object({
    orderId: z.uuid(),
    shipmentId: z.uuid(),
    trackingNumber: z.string().min(1).max(64),
  }),
});

export const ShippingFailed = defineEvent('shipping.failed', {
  schema: z.object({
    orderId: z.uuid(),
    shipmentId: z.uuid(),
    reason: z.enum(['UNSUPPORTED_DESTINATION', 'CARRIER_REJECTED']),
  }),
});

/** A compensation: the parcel booked with the carrier was cancelled because the order was. */
export const ShippingCancelled = defineEvent('shipping.cancelled', {
  schema: z.object({ orderId: z.uuid(), shipmentId: z.uuid() }),
});
