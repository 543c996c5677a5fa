import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderView } from '@orders/contracts';
import { OrderViewReader } from '../order-view-reader';
import { GetAnyOrderQuery } from './get-any-order.query';

@QueryHandler(GetAnyOrderQuery)
export class GetAnyOrderHandler implements IQueryHandler<GetAnyOrderQuery> {
  constructor(private readonly views: OrderViewReader) {}

  execute(query: GetAnyOrderQuery): Promise<OrderView | null> {
    return this.views.findAny(query.orderId);
  }
}
