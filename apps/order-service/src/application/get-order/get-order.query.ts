import { Query } from '@nestjs/cqrs';
import { OrderView } from '@orders/contracts';

/** One of the customer's orders; null when it does not exist or belongs to someone else. */
export class GetOrderQuery extends Query<OrderView | null> {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
  ) {
    super();
  }
}
