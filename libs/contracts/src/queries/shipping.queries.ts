import { z } from 'zod';
import { defineQuery } from '../query-definition';

export const shipmentViewSchema = z.object({
  shipmentId: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(['REQUESTED', 'SCHEDULED', 'FAILED']),
  trackingNumber: z.string().nullable(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type ShipmentView = z.infer<typeof shipmentViewSchema>;

export const GetShipmentByOrder = defineQuery('query.shipping.get-by-order', z.object({ orderId: z.uuid() }), shipmentViewSchema);
