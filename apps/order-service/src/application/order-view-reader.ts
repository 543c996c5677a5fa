import { OrderView } from '@orders/contracts';

/** Where a page of orders starts: strictly after this order in the page's order. */
export interface OrderPosition {
  createdAt: Date;
  id: string;
}

/**
 * Query side of the order read model (`order_views`). It is written in the same
 * transactions as the orders, so a customer reads back at once what they just did.
 */
export abstract class OrderViewReader {
  /** The order only if it belongs to this customer. */
  abstract find(orderId: string, customerId: string): Promise<OrderView | null>;
  /** The order whoever it belongs to: for operators. */
  abstract findAny(orderId: string): Promise<OrderView | null>;
  /** Up to `limit` of the customer's orders, newest first, after `after` when given. */
  abstract list(customerId: string, limit: number, after?: OrderPosition): Promise<OrderView[]>;
  /** Up to `limit` PENDING orders of any customer, oldest first, after `after` when given. */
  abstract listPending(limit: number, after?: OrderPosition): Promise<OrderView[]>;
}
