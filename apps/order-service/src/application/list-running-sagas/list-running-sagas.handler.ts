import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { RunningSagaPage } from '@orders/contracts';
import { Clock } from '@orders/shared-kernel';
import { decodeCursor, encodeCursor } from '../list-orders/order-cursor';
import { OrderViewReader } from '../order-view-reader';
import { SagaSettings } from '../saga-settings';
import { ListRunningSagasQuery } from './list-running-sagas.query';
import { runningSagaOf } from './running-saga';

@QueryHandler(ListRunningSagasQuery)
export class ListRunningSagasHandler implements IQueryHandler<ListRunningSagasQuery> {
  constructor(
    private readonly views: OrderViewReader,
    private readonly settings: SagaSettings,
    private readonly clock: Clock,
  ) {}

  async execute(query: ListRunningSagasQuery): Promise<RunningSagaPage> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One more than asked tells whether another page follows.
    const orders = await this.views.listPending(query.limit + 1, after);
    const page = orders.slice(0, query.limit);
    const last = page.at(-1);
    const now = this.clock.now();
    return {
      items: page.map((order) => runningSagaOf(order, now, this.settings.timeoutMs)),
      nextCursor: orders.length > query.limit && last ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.orderId }) : null,
    };
  }
}
