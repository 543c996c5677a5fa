import { Injectable } from '@nestjs/common';
import { OrderPageQuery, OrderSummaryPageDto } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { OrderReads } from '@orders/upstream-reads';
import { toOrderSummary } from '../order-summary';

/** The caller's orders, newest first, a page at a time, in the lean shape the mobile app needs. */
@Injectable()
export class ListOrderSummariesHandler {
  constructor(private readonly orders: OrderReads) {}

  async execute(page: OrderPageQuery, context: CallerContext): Promise<OrderSummaryPageDto> {
    const { items, nextCursor } = await this.orders.listOrders(page, context);
    return { items: items.map(toOrderSummary), nextCursor };
  }
}
