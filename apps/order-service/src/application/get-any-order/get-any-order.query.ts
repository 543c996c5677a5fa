import { Query } from '@nestjs/cqrs';
import { OrderView } from '@orders/contracts';

/** Any customer's order, for an operator; null when it does not exist. */
export class GetAnyOrderQuery extends Query<OrderView | null> {
  constructor(readonly orderId: string) {
    super();
  }
}
