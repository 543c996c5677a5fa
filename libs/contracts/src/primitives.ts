import { z } from 'zod';

/** Money in integer minor units, as it appears on the wire. */
export const moneySchema = z.object({
  amount: z.int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type MoneyDto = z.infer<typeof moneySchema>;

export const skuSchema = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, 'SKU is 2-64 upper-case letters, digits or dashes');

export const orderItemSchema = z.object({
  sku: skuSchema,
  quantity: z.int().min(1).max(1000),
});
export type OrderItemDto = z.infer<typeof orderItemSchema>;

export const shippingAddressSchema = z.object({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'country is an ISO 3166-1 alpha-2 code'),
});
export type ShippingAddressDto = z.infer<typeof shippingAddressSchema>;

export const pricedLineSchema = orderItemSchema.extend({ unitPrice: moneySchema });
export type PricedLineDto = z.infer<typeof pricedLineSchema>;

export const CANCELLATION_REASONS = ['OUT_OF_STOCK', 'PAYMENT_DECLINED', 'SHIPPING_UNAVAILABLE', 'ADDRESS_REJECTED', 'CUSTOMER_CANCELLED', 'TIMED_OUT'] as const;
export const cancellationReasonSchema = z.enum(CANCELLATION_REASONS);
export type CancellationReason = z.infer<typeof cancellationReasonSchema>;
