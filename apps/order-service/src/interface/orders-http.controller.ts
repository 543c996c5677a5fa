import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { HEADERS } from '@orders/contracts';
import { ApiError, Caller, CallerGuard, ZodValidationPipe } from '@orders/service-runtime';
import { isId } from '@orders/shared-kernel';
import type { Response } from 'express';
import { GetOrderQuery } from '../application/get-order/get-order.query';
import { ListOrdersParams, listOrdersParamsSchema, OrderPageDto } from '../application/list-orders/list-orders.dto';
import { ListOrdersQuery } from '../application/list-orders/list-orders.query';
import { InvalidCursorError } from '../application/list-orders/order-cursor';
import { OrderViewDto } from '../application/order-view.dto';
import { PlaceOrderCommand } from '../application/place-order/place-order.command';
import { idempotencyKeySchema, PlacedOrderDto, PlaceOrderBody, placeOrderBodySchema } from '../application/place-order/place-order.dto';
import { RequestHeader } from './request-header.decorator';

/** Where the gateway exposes an order to its customer. */
const PUBLIC_ORDER_PATH = '/api/v1/orders';

/**
 * The order API the gateway calls on behalf of an authenticated customer. A request the gateway
 * did not identify the caller of is refused (401) before its body or parameters are looked at.
 */
@Controller('internal/orders')
@UseGuards(CallerGuard)
export class OrdersHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async place(
    @Caller('userId') customerId: string,
    @RequestHeader(HEADERS.idempotencyKey, new ZodValidationPipe(idempotencyKeySchema)) idempotencyKey: string,
    @Body(new ZodValidationPipe(placeOrderBodySchema)) body: PlaceOrderBody,
    @Caller('correlationId') correlationId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PlacedOrderDto> {
    const placed = await this.commands.execute(new PlaceOrderCommand(customerId, idempotencyKey, body, correlationId));
    response.setHeader('Location', `${PUBLIC_ORDER_PATH}/${placed.orderId}`);
    return placed;
  }

  @Get(':id')
  async get(@Caller('userId') customerId: string, @Param('id') orderId: string): Promise<OrderViewDto> {
    // Another customer's order looks exactly like one that does not exist.
    const order = isId(orderId) ? await this.queries.execute(new GetOrderQuery(orderId, customerId)) : null;
    if (!order) throw new ApiError(HttpStatus.NOT_FOUND, 'ORDER_NOT_FOUND', 'No such order');
    return order;
  }

  @Get()
  async list(@Caller('userId') customerId: string, @Query(new ZodValidationPipe(listOrdersParamsSchema)) params: ListOrdersParams): Promise<OrderPageDto> {
    try {
      return await this.queries.execute(new ListOrdersQuery(customerId, params.limit, params.cursor));
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new ApiError(HttpStatus.BAD_REQUEST, error.code, error.message);
      throw error;
    }
  }
}
