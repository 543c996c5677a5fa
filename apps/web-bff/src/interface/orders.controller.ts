import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
import { OrderDetailsDto } from '@orders/contracts';
import { Caller, CallerContext, ZodValidationPipe } from '@orders/service-runtime';
import { ReadFailureInterceptor } from '@orders/upstream-reads';
import { z } from 'zod';
import { GetOrderDetailsHandler } from '../application/get-order-details/get-order-details.handler';

@Controller('api/web/v1/orders')
@UseInterceptors(new ReadFailureInterceptor('order'))
export class OrdersController {
  constructor(private readonly details: GetOrderDetailsHandler) {}

  @Get(':id')
  get(@Param('id', new ZodValidationPipe(z.uuid('the order id is a UUID'))) orderId: string, @Caller() context: CallerContext): Promise<OrderDetailsDto> {
    return this.details.execute(orderId, context);
  }
}
