import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { OrderPageQuery, orderPageQuerySchema } from '@orders/contracts';
import { Caller, CallerContext, ZodValidationPipe } from '@orders/service-runtime';
import { ReadFailureInterceptor } from '@orders/upstream-reads';
import { z } from 'zod';
import { OrderSummariesHandler, OrderSummaryPage } from '../application/order-summaries.handler';
import { OrderSummary } from '../application/order-summary';

@Controller('api/mobile/v1/orders')
@UseInterceptors(new ReadFailureInterceptor('order'))
export class OrdersController {
  constructor(private readonly summaries: OrderSummariesHandler) {}

  @Get()
  list(@Query(new ZodValidationPipe(orderPageQuerySchema)) page: OrderPageQuery, @Caller() context: CallerContext): Promise<OrderSummaryPage> {
    return this.summaries.list(page, context);
  }

  @Get(':id')
  get(@Param('id', new ZodValidationPipe(z.uuid('the order id is a UUID'))) orderId: string, @Caller() context: CallerContext): Promise<OrderSummary> {
    return this.summaries.get(orderId, context);
  }
}
