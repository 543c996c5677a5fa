import { z } from 'zod';
import { defineQuery } from '../query-definition';
import { cancellationReasonSchema, moneySchema, orderItemSchema } from '../primitives';
import { SAGA_STEPS } from '../saga-steps';

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

/** A PENDING order as an operator follows its saga: how long it has run, when it times out, what it waits for. */
export const runningSagaSchema = z.object({
  orderId: orderViewSchema.shape.orderId,
  customerId: z.string(),
  placedAt: z.iso.datetime({ offset: true }),
  ageMs: z.int().nonnegative().meta({ description: 'How long ago the order was placed, when the page was read.' }),
  deadline: z.iso
    .datetime({ offset: true })
    .meta({ description: 'When the saga deadline watchdog cancels the order TIMED_OUT unless its saga finished: placedAt + SAGA_TIMEOUT_MS.' }),
  waitingFor: z
    .enum(SAGA_STEPS)
    .nullable()
    .meta({ description: 'The first saga step (in the order the saga usually takes them) that no participant has reported yet; null once all have been.' }),
});
export type RunningSaga = z.infer<typeof runningSagaSchema>;

/** The running sagas, oldest first; `nextCursor` is null on the last page. */
export const runningSagaPageSchema = z.object({
  items: z.array(runningSagaSchema),
  nextCursor: z.string().nullable(),
});
export type RunningSagaPage = z.infer<typeof runningSagaPageSchema>;

/** The caller's own orders, newest first. */
export const ListOrders = defineQuery(
  'query.order.list-orders',
  z.object({
    limit: z.int().min(1).max(100),
    cursor: z.string().max(200).optional(),
  }),
  orderPageSchema,
);
