import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderViewDto, toOrderView } from '../order-view.dto';
import { OrderRepository } from '../order.repository';
import { GetOrderQuery } from './get-order.query';

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly orders: OrderRepository) {}

  async execute(query: GetOrderQuery): Promise<OrderViewDto | null> {
    const order = await this.orders.findForCustomer(query.orderId, query.customerId);
    return order ? toOrderView(order) : null;
  }
}
