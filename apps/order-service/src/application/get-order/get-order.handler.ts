import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderView } from '@orders/contracts';
import { OrderViewReader } from '../order-view-reader';
import { GetOrderQuery } from './get-order.query';

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly views: OrderViewReader) {}

  execute(query: GetOrderQuery): Promise<OrderView | null> {
    return this.views.find(query.orderId, query.customerId);
  }
}
