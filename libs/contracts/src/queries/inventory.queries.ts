import { z } from 'zod';
import { setAvailableBodySchema } from '../http/inventory.http';
import { defineQuery } from '../query-definition';
import { moneySchema, skuSchema } from '../primitives';

export const productSchema = z.object({
  sku: skuSchema,
  name: z.string(),
  price: moneySchema,
  available: z.int().nonnegative(),
});
export type ProductDto = z.infer<typeof productSchema>;

export const ListProducts = defineQuery(
  'query.inventory.list-products',
  z.object({ skus: z.array(skuSchema).max(100).optional() }),
  z.object({ products: z.array(productSchema) }),
);

/** A SKU's stock in its three states; only `available` can still be sold. */
export const stockLevelSchema = z.object({
  sku: skuSchema,
  available: z.int().nonnegative(),
  reserved: z.int().nonnegative(),
  committed: z.int().nonnegative(),
});
export type StockLevelDto = z.infer<typeof stockLevelSchema>;

/**
 * An operator sets how many units of a SKU can still be sold, and gets the stock back. A command,
 * asked over request/reply like the queries because the operator waits for its outcome. Answered
 * FORBIDDEN unless the caller token carries the `ops` role, NOT_FOUND for an unknown SKU.
 */
export const SetAvailable = defineQuery('query.inventory.set-available', setAvailableBodySchema.extend({ sku: skuSchema }), stockLevelSchema);
