import { z } from 'zod';
import { defineQuery } from '../query-definition';
import { cancellationReasonSchema, moneySchema, orderItemSchema } from '../primitives';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;

/** What a customer sees of an order: never the payment token. Shared by the HTTP API and the NATS queries. */
export const orderViewSchema = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  status: z.enum(ORDER_STATUSES),
  items: z.array(orderItemSchema),
  total: moneySchema.nullable(),
  cancellationReason: cancellationReasonSchema.nullable(),
  timeline: z.array(z.object({ type: z.string(), at: z.iso.datetime({ offset: true }) })),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type OrderView = z.infer<typeof orderViewSchema>;

/** The asking customer is the caller its caller token proves, never a field of the request (ADR 0011). */
export const GetOrder = defineQuery('query.order.get-order', z.object({ orderId: z.uuid() }), orderViewSchema);

/** A page of orders, newest first; `nextCursor` is null on the last page. */
export const orderPageSchema = z.object({
  items: z.array(orderViewSchema),
  nextCursor: z.string().nullable(),
});
export type OrderPage = z.infer<typeof orderPageSchema>;

/** The caller's own orders, newest first. */
export const ListOrders = defineQuery(
  'query.order.list-orders',
  z.object({
    limit: z.int().min(1).max(100),
    cursor: z.string().max(200).optional(),
  }),
  orderPageSchema,
);
