import { Query } from '@nestjs/cqrs';
import { OrderPage } from '@orders/contracts';

/** The customer's orders, newest first. Throws InvalidCursorError for a cursor no page returned. */
export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
