import { OrderView } from '@orders/contracts';

/** order-service's view of one of alice's orders: confirmed, five units on two lines. */
export function orderView(orderId: string, overrides: Partial<OrderView> = {}): OrderView {
  return {
    orderId,
    customerId: 'alice',
    status: 'CONFIRMED',
    items: [
      { sku: 'SKU-TSHIRT', quantity: 2 },
      { sku: 'SKU-MUG', quantity: 3 },
    ],
    total: { amount: 6995, currency: 'EUR' },
    cancellationReason: null,
    timeline: [{ type: 'OrderPlaced', at: '2025-11-20T10:00:00.000Z' }],
    createdAt: '2025-11-20T10:00:00.000Z',
    updatedAt: '2025-11-20T10:00:05.000Z',
    ...overrides,
  };
}
