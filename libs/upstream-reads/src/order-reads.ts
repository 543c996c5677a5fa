import { OrderPage, OrderPageQuery, OrderView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';

/**
 * The port through which a BFF's use cases read order-service's views; each read rejects with a
 * ReadFailure when it cannot be answered. NatsOrderReads implements it.
 */
export abstract class OrderReads {
  /** The caller's own order; NOT_FOUND as well when it belongs to someone else. */
  abstract getOrder(orderId: string, context: CallerContext): Promise<OrderView>;
  /** The caller's orders, newest first, one page at a time. */
  abstract listOrders(page: OrderPageQuery, context: CallerContext): Promise<OrderPage>;
}
