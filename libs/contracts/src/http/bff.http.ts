import { z } from 'zod';
import { moneySchema } from '../primitives';
import { productSchema } from '../queries/inventory.queries';
import { ORDER_STATUSES, orderViewSchema } from '../queries/order.queries';
import { paymentViewSchema } from '../queries/payment.queries';
import { shipmentViewSchema } from '../queries/shipping.queries';

// What the backends-for-frontends answer through the gateway, whose OpenAPI document is generated from these schemas.

/** Parts of an order page that are not essential: when one cannot be read it is null and named in `degraded`. */
export const ORDER_DETAILS_OPTIONAL_PARTS = ['payment', 'shipment', 'products'] as const;

/** The web BFF's order page: the order and whatever else could be read about it. */
export const orderDetailsSchema = z.object({
  order: orderViewSchema,
  payment: paymentViewSchema.nullable(),
  shipment: shipmentViewSchema.nullable(),
  products: z.array(productSchema).nullable(),
  /** Parts that could not be read right now and are null for that reason. */
  degraded: z.array(z.enum(ORDER_DETAILS_OPTIONAL_PARTS)),
});
export type OrderDetailsDto = z.output<typeof orderDetailsSchema>;

/** What the mobile BFF shows of an order in a list or at a glance. */
export const orderSummarySchema = z.object({
  id: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  total: moneySchema.nullable(),
  /** Units ordered, across all lines. */
  itemCount: z.int().nonnegative(),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type OrderSummaryDto = z.output<typeof orderSummarySchema>;

export const orderSummaryPageSchema = z.object({
  items: z.array(orderSummarySchema),
  nextCursor: z.string().nullable(),
});
export type OrderSummaryPageDto = z.output<typeof orderSummaryPageSchema>;
