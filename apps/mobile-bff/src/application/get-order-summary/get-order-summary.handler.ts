import { Injectable } from '@nestjs/common';
import { OrderSummaryDto } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { OrderReads } from '@orders/upstream-reads';
import { toOrderSummary } from '../order-summary';

/** One of the caller's orders, at a glance, in the lean shape the mobile app needs. */
@Injectable()
export class GetOrderSummaryHandler {
  constructor(private readonly orders: OrderReads) {}

  async execute(orderId: string, context: CallerContext): Promise<OrderSummaryDto> {
    return toOrderSummary(await this.orders.getOrder(orderId, context));
  }
}
