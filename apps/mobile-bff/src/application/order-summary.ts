import { OrderSummaryDto, OrderView } from '@orders/contracts';

/** What a phone shows of an order in a list or at a glance (the public contract, shared with the gateway). */
export type OrderSummary = OrderSummaryDto;

export function toOrderSummary(order: OrderView): OrderSummary {
  return {
    id: order.orderId,
    status: order.status,
    total: order.total,
    itemCount: order.items.reduce((count, item) => count + item.quantity, 0),
    updatedAt: order.updatedAt,
  };
}
