import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { cancellationReasonSchema, moneySchema, orderItemSchema, shippingAddressSchema } from '../primitives';

export const OrderPlaced = defineEvent('order.placed', {
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.string().min(1).max(128),
    items: z.array(orderItemSchema).min(1).max(100),
    shippingAddress: shippingAddressSchema,
    /** Provider token (never card data); only payment-service reads it. */
    paymentToken: z.string().min(1).max(200),
  }),
});

export const OrderConfirmed = defineEvent('order.confirmed', {
  schema: z.object({ orderId: z.uuid(), total: moneySchema }),
});

export const OrderCancelled = defineEvent('order.cancelled', {
  schema: z.object({ orderId: z.uuid(), reason: cancellationReasonSchema }),
});
