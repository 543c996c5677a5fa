import { MoneyDto, OrderView } from '@orders/contracts';

/** What a phone shows of an order in a list or at a glance. */
export interface OrderSummary {
  id: string;
  status: OrderView['status'];
  total: MoneyDto | null;
  /** Units ordered, across all lines. */
  itemCount: number;
  updatedAt: string;
}

export function toOrderSummary(order: OrderView): OrderSummary {
  return {
    id: order.orderId,
    status: order.status,
    total: order.total,
    itemCount: order.items.reduce((count, item) => count + item.quantity, 0),
    updatedAt: order.updatedAt,
  };
}
