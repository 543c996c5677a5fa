import { z } from 'zod';
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
