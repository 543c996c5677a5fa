import { CallerContext } from '@orders/service-runtime';
import { OrderReads, ReadFailure } from '@orders/upstream-reads';
import { orderView } from '../../../test/order-view';
import { GetOrderSummaryHandler } from './get-order-summary.handler';

const context = { userId: 'alice', requestId: 'req-1' } as CallerContext;
const orderId = '6f1d1c52-3c1a-4d8e-9f57-2b1f0b7f5b11';

describe('GetOrderSummaryHandler', () => {
  it('reads the caller’s order and answers it in the lean shape', async () => {
    const orders = { getOrder: jest.fn(async () => orderView(orderId)), listOrders: jest.fn() } satisfies OrderReads;

    expect(await new GetOrderSummaryHandler(orders).execute(orderId, context)).toMatchObject({ id: orderId, itemCount: 5 });
    expect(orders.getOrder).toHaveBeenCalledWith(orderId, context);
  });

  it('fails with the read’s failure', async () => {
    const failure = new ReadFailure('NOT_FOUND', 'no such order');
    const orders = { getOrder: jest.fn(() => Promise.reject(failure)), listOrders: jest.fn() } satisfies OrderReads;

    await expect(new GetOrderSummaryHandler(orders).execute(orderId, context)).rejects.toBe(failure);
  });
});
