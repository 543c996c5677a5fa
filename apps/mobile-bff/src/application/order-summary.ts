import { OrderSummaryDto, OrderView } from '@orders/contracts';

/** What a phone shows of an order in a list or at a glance: both the list and the single order use it. */
export function toOrderSummary(order: OrderView): OrderSummaryDto {
  return {
    id: order.orderId,
    status: order.status,
    total: order.total,
    itemCount: order.items.reduce((count, item) => count + item.quantity, 0),
    updatedAt: order.updatedAt,
  };
}
