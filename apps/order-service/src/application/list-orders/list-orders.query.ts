import { Query } from '@nestjs/cqrs';
import { OrderPageDto } from './list-orders.dto';

/** The customer's orders, newest first. Throws InvalidCursorError for a cursor no page returned. */
export class ListOrdersQuery extends Query<OrderPageDto> {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
