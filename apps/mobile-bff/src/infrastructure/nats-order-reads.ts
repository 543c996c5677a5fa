import { Injectable } from '@nestjs/common';
import { GetOrder, ListOrders, OrderPage, OrderView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { UpstreamReads } from '@orders/upstream-reads';
import { OrderReads, PageRequest } from '../application/order-reads';

/** Reads order-service's views over NATS request/reply. */
@Injectable()
export class NatsOrderReads extends OrderReads {
  constructor(private readonly upstream: UpstreamReads) {
    super();
  }

  getOrder(orderId: string, context: CallerContext): Promise<OrderView> {
    return this.upstream.read(GetOrder, { orderId }, context);
  }

  listOrders(page: PageRequest, context: CallerContext): Promise<OrderPage> {
    return this.upstream.read(ListOrders, { limit: page.limit, cursor: page.cursor }, context);
  }
}
