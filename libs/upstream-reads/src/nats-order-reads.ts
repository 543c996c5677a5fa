import { Injectable } from '@nestjs/common';
import { GetOrder, ListOrders, OrderPage, OrderPageQuery, OrderView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { OrderReads } from './order-reads';
import { UpstreamReads } from './upstream-reads';

/** Reads order-service's views over NATS request/reply, guarded by UpstreamReads. */
@Injectable()
export class NatsOrderReads extends OrderReads {
  constructor(private readonly upstream: UpstreamReads) {
    super();
  }

  getOrder(orderId: string, context: CallerContext): Promise<OrderView> {
    return this.upstream.read(GetOrder, { orderId }, context);
  }

  listOrders(page: OrderPageQuery, context: CallerContext): Promise<OrderPage> {
    return this.upstream.read(ListOrders, { limit: page.limit, cursor: page.cursor }, context);
  }
}
