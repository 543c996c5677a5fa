import { OrderPage, OrderPageQuery, orderPageQuerySchema } from '@orders/contracts';

/** Query string of `GET /internal/orders`: the public order API's contract, shared with the gateway. */
export const listOrdersParamsSchema = orderPageQuerySchema;
export type ListOrdersParams = OrderPageQuery;

/** A page of orders, newest first; `nextCursor` is null on the last page. */
export type OrderPageDto = OrderPage;
