import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderPage } from '@orders/contracts';
import { OrderViewReader } from '../order-view-reader';
import { ListOrdersQuery } from './list-orders.query';
import { decodeCursor, encodeCursor } from './order-cursor';

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(private readonly views: OrderViewReader) {}

  async execute(query: ListOrdersQuery): Promise<OrderPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One more than asked tells whether another page follows.
    const orders = await this.views.list(query.customerId, query.limit + 1, after);
    const page = orders.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: orders.length > query.limit && last ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.orderId }) : null,
    };
  }
}
