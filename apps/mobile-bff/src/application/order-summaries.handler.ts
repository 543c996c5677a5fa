import { Injectable } from '@nestjs/common';
import { OrderSummaryPageDto } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { OrderReads, PageRequest } from './order-reads';
import { OrderSummary, toOrderSummary } from './order-summary';

export type OrderSummaryPage = OrderSummaryPageDto;

/** The caller's orders in the lean shape the mobile app needs. */
@Injectable()
export class OrderSummariesHandler {
  constructor(private readonly reads: OrderReads) {}

  async list(page: PageRequest, context: CallerContext): Promise<OrderSummaryPage> {
    const { items, nextCursor } = await this.reads.listOrders(page, context);
    return { items: items.map(toOrderSummary), nextCursor };
  }

  async get(orderId: string, context: CallerContext): Promise<OrderSummary> {
    return toOrderSummary(await this.reads.getOrder(orderId, context));
  }
}
