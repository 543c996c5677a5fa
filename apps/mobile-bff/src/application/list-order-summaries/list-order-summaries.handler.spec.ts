import { OrderPage } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { OrderReads } from '@orders/upstream-reads';
import { orderView } from '../../../test/order-view';
import { ListOrderSummariesHandler } from './list-order-summaries.handler';

const context = { userId: 'alice', requestId: 'req-1' } as CallerContext;

describe('ListOrderSummariesHandler', () => {
  it('reads the page the caller asked for and answers it in the lean shape, with the next page’s cursor', async () => {
    const [first, second] = ['6f1d1c52-3c1a-4d8e-9f57-2b1f0b7f5b11', '0b6c6a43-7a8e-4f4e-bb0b-9d1f4a6c2e10'];
    const page: OrderPage = { items: [orderView(first), orderView(second, { items: [{ sku: 'SKU-MUG', quantity: 1 }] })], nextCursor: 'next-page' };
    const orders = { getOrder: jest.fn(), listOrders: jest.fn(async () => page) } satisfies OrderReads;

    const summaries = await new ListOrderSummariesHandler(orders).execute({ limit: 2, cursor: 'this-page' }, context);

    expect(summaries).toEqual({ items: [expect.objectContaining({ id: first, itemCount: 5 }), expect.objectContaining({ id: second, itemCount: 1 })], nextCursor: 'next-page' });
    expect(orders.listOrders).toHaveBeenCalledWith({ limit: 2, cursor: 'this-page' }, context);
  });
});
