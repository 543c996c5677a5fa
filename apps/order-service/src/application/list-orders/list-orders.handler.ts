import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { toOrderView } from '../order-view.dto';
import { OrderRepository } from '../order.repository';
import { OrderPageDto } from './list-orders.dto';
import { ListOrdersQuery } from './list-orders.query';
import { decodeCursor, encodeCursor } from './order-cursor';

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(private readonly orders: OrderRepository) {}

  async execute(query: ListOrdersQuery): Promise<OrderPageDto> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One more than asked tells whether another page follows.
    const orders = await this.orders.listForCustomer(query.customerId, query.limit + 1, after);
    const page = orders.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toOrderView),
      nextCursor: orders.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }
}
