import { OrderView } from '@orders/contracts';
import { Order } from '../domain/order';

/** What a customer sees of an order: never the payment token. Shared by the HTTP API and the NATS queries. */
export type OrderViewDto = OrderView;

export function toOrderView(order: Order): OrderViewDto {
  return {
    orderId: order.id,
    customerId: order.customerId,
    status: order.status,
    items: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    total: order.total?.toJSON() ?? null,
    cancellationReason: order.cancellationReason,
    timeline: order.timeline.map((entry) => ({ type: entry.type, at: entry.at.toISOString() })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
