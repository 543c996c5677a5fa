import { OrderPage, OrderView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Reads of order-service's views; each rejects with a ReadFailure when it cannot be answered. */
export abstract class OrderReads {
  /** The caller's own order; NOT_FOUND as well when it belongs to someone else. */
  abstract getOrder(orderId: string, context: CallerContext): Promise<OrderView>;
  /** The caller's orders, newest first, one page at a time. */
  abstract listOrders(page: PageRequest, context: CallerContext): Promise<OrderPage>;
}
