import { OrderPage } from '@orders/contracts';
import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Query string of `GET /internal/orders`. */
export const listOrdersParamsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListOrdersParams = z.output<typeof listOrdersParamsSchema>;

/** A page of orders, newest first; `nextCursor` is null on the last page. */
export type OrderPageDto = OrderPage;
