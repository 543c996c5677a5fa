import { orderItemSchema, shippingAddressSchema } from '@orders/contracts';
import { z } from 'zod';

export const MAX_ITEMS_PER_ORDER = 50;

/** Body of `POST /internal/orders`; unknown fields anywhere are rejected rather than silently dropped. */
export const placeOrderBodySchema = z.strictObject({
  items: z.array(z.strictObject(orderItemSchema.shape)).min(1).max(MAX_ITEMS_PER_ORDER),
  shippingAddress: z.strictObject(shippingAddressSchema.shape),
  payment: z.strictObject({
    /** The payment provider's token for the customer's card; card data never reaches us. */
    token: z.string().min(1).max(200),
  }),
});
export type PlaceOrderBody = z.output<typeof placeOrderBodySchema>;

export const idempotencyKeySchema = z
  .string({ error: 'The Idempotency-Key header is required' })
  .regex(/^[A-Za-z0-9_\-:.]{1,200}$/, 'The Idempotency-Key header is 1-200 letters, digits, "_", "-", ":" or "."');

/** The answer to placing an order, repeated as is for a retry with the same Idempotency-Key. */
export interface PlacedOrderDto {
  orderId: string;
  status: 'PENDING';
}
