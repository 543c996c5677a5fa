import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
import { ZodValidationPipe } from '@orders/service-runtime';
import { z } from 'zod';
import { GetOrderDetailsHandler, OrderDetails } from '../application/get-order-details/get-order-details.handler';
import { RequestContext } from '../application/request-context';
import { Caller } from './caller.decorator';
import { ReadFailureInterceptor } from './read-failure.interceptor';

@Controller('api/web/v1/orders')
@UseInterceptors(ReadFailureInterceptor)
export class OrdersController {
  constructor(private readonly details: GetOrderDetailsHandler) {}

  @Get(':id')
  get(@Param('id', new ZodValidationPipe(z.uuid('the order id is a UUID'))) orderId: string, @Caller() context: RequestContext): Promise<OrderDetails> {
    return this.details.execute(orderId, context);
  }
}
