import { orderView } from '../../test/order-view';
import { toOrderSummary } from './order-summary';

describe('toOrderSummary', () => {
  const orderId = '6f1d1c52-3c1a-4d8e-9f57-2b1f0b7f5b11';

  it('keeps what a phone shows of an order, counting its units across all lines', () => {
    expect(toOrderSummary(orderView(orderId))).toEqual({
      id: orderId,
      status: 'CONFIRMED',
      total: { amount: 6995, currency: 'EUR' },
      itemCount: 5,
      updatedAt: '2025-11-20T10:00:05.000Z',
    });
  });

  it('leaves the total null while the order has none', () => {
    expect(toOrderSummary(orderView(orderId, { status: 'PENDING', total: null }))).toMatchObject({ status: 'PENDING', total: null });
  });
});
