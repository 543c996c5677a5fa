import { Query } from '@nestjs/cqrs';
import { OrderViewDto } from '../order-view.dto';

/** One of the customer's orders; null when it does not exist or belongs to someone else. */
export class GetOrderQuery extends Query<OrderViewDto | null> {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
  ) {
    super();
  }
}
