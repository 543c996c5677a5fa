import { Query } from '@nestjs/cqrs';
import { RunningSagaPage } from '@orders/contracts';

/** The sagas still running (orders PENDING), oldest first. Throws InvalidCursorError for a cursor no page returned. */
export class ListRunningSagasQuery extends Query<RunningSagaPage> {
  constructor(
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
