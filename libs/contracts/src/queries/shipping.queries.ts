import { z } from 'zod';
import { defineQuery } from '../query-definition';

/** CANCELLED: the order was cancelled; any parcel booked for it was cancelled with the carrier. */
export const SHIPMENT_STATUSES = ['REQUESTED', 'SCHEDULED', 'FAILED', 'CANCELLED'] as const;

export const shipmentViewSchema = z.object({
  shipmentId: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(SHIPMENT_STATUSES),
  trackingNumber: z.string().nullable(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type ShipmentView = z.infer<typeof shipmentViewSchema>;

export const GetShipmentByOrder = defineQuery('query.shipping.get-by-order', z.object({ orderId: z.uuid() }), shipmentViewSchema);
