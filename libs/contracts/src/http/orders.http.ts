import { z } from 'zod';
import { orderItemSchema, shippingAddressSchema } from '../primitives';

// The order API customers call through the gateway, which forwards it to order-service.
// Both sides validate with these schemas; the gateway's OpenAPI document is generated from them.

export const MAX_ITEMS_PER_ORDER = 50;

/**
 * Line breaks and other control characters (NUL included, which PostgreSQL cannot store), unpaired
 * surrogates (not Unicode at all) and bidirectional overrides (which make text display other than
 * it reads): nothing a printed address line holds. Any script, accents and emoji are welcome.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;
const printable = (field: z.ZodString) => field.refine((text) => !UNPRINTABLE.test(text), 'must be printable text on one line');
const { name, line1, city, postalCode, country } = shippingAddressSchema.shape;

/**
 * An order's lines, one per SKU. A SKU on a second line is refused rather than merged: its
 * lines together could hold far more units than one line may (50 lines of 1000).
 */
const orderLinesSchema = z
  .array(z.strictObject(orderItemSchema.shape))
  .min(1)
  .max(MAX_ITEMS_PER_ORDER)
  .superRefine((lines, context) => {
    const seen = new Set<string>();
    lines.forEach(({ sku }, index) => {
      if (seen.has(sku)) context.addIssue({ code: 'custom', path: [index, 'sku'], message: `${sku} is on an earlier line: order each SKU on one line` });
      seen.add(sku);
    });
  })
  .meta({ description: `1-${MAX_ITEMS_PER_ORDER} lines, each SKU on one line only: its whole quantity (at most 1000 units) goes on that line.` });

/** Body of placing an order; unknown fields anywhere are rejected rather than silently dropped. */
export const placeOrderBodySchema = z.strictObject({
  items: orderLinesSchema,
  shippingAddress: z.strictObject({ name: printable(name), line1: printable(line1), city: printable(city), postalCode: printable(postalCode), country }),
  payment: z.strictObject({
    /** The payment provider's token for the customer's card; card data never reaches us. */
    token: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7E]+$/, 'the payment token is printable ASCII without spaces'),
  }),
});
export type PlaceOrderBody = z.output<typeof placeOrderBodySchema>;

export const idempotencyKeySchema = z
  .string({ error: 'The Idempotency-Key header is required' })
  .regex(/^[A-Za-z0-9_\-:.]{1,200}$/, 'The Idempotency-Key header is 1-200 letters, digits, "_", "-", ":" or "."');

/** The answer to placing an order, repeated as is for a retry with the same Idempotency-Key. */
export const placedOrderSchema = z.object({
  orderId: z.uuid(),
  status: z.literal('PENDING'),
});
export type PlacedOrderDto = z.output<typeof placedOrderSchema>;

/**
 * The answer to a customer's cancellation, the same however often it is asked. The
 * order is cancelled at once; refund, restock and shipment cancellation follow
 * asynchronously and show up on the order's timeline.
 */
export const cancelledOrderSchema = z.object({
  orderId: z.uuid(),
  status: z.literal('CANCELLED'),
  cancellationReason: z.literal('CUSTOMER_CANCELLED'),
});
export type CancelledOrderDto = z.output<typeof cancelledOrderSchema>;

export const DEFAULT_ORDER_PAGE_SIZE = 20;
export const MAX_ORDER_PAGE_SIZE = 100;

/** Query string of a list of the caller's orders: a page size and the previous page's `nextCursor`. */
export const orderPageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_ORDER_PAGE_SIZE).default(DEFAULT_ORDER_PAGE_SIZE),
  cursor: z.string().min(1).max(200).optional(),
});
export type OrderPageQuery = z.output<typeof orderPageQuerySchema>;
