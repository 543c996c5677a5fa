import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { OrderPageQuery, orderPageQuerySchema, OrderSummaryDto, OrderSummaryPageDto } from '@orders/contracts';
import { Caller, CallerContext, ZodValidationPipe } from '@orders/service-runtime';
import { ReadFailureInterceptor } from '@orders/upstream-reads';
import { z } from 'zod';
import { GetOrderSummaryHandler } from '../application/get-order-summary/get-order-summary.handler';
import { ListOrderSummariesHandler } from '../application/list-order-summaries/list-order-summaries.handler';

@Controller('api/mobile/v1/orders')
@UseInterceptors(new ReadFailureInterceptor('order'))
export class OrdersController {
  constructor(
    private readonly listSummaries: ListOrderSummariesHandler,
    private readonly getSummary: GetOrderSummaryHandler,
  ) {}

  @Get()
  list(@Query(new ZodValidationPipe(orderPageQuerySchema)) page: OrderPageQuery, @Caller() context: CallerContext): Promise<OrderSummaryPageDto> {
    return this.listSummaries.execute(page, context);
  }

  @Get(':id')
  get(@Param('id', new ZodValidationPipe(z.uuid('the order id is a UUID'))) orderId: string, @Caller() context: CallerContext): Promise<OrderSummaryDto> {
    return this.getSummary.execute(orderId, context);
  }
}
