import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  CancelledOrderDto,
  HEADERS,
  idempotencyKeySchema,
  OrderPage,
  OrderPageQuery,
  orderPageQuerySchema,
  OrderView,
  PlacedOrderDto,
  PlaceOrderBody,
  placeOrderBodySchema,
} from '@orders/contracts';
import { ApiError, Caller, ZodValidationPipe } from '@orders/service-runtime';
import { isId } from '@orders/shared-kernel';
import { CancelOrderCommand } from '../application/cancel-order/cancel-order.command';
import { GetOrderQuery } from '../application/get-order/get-order.query';
import { ListOrdersQuery } from '../application/list-orders/list-orders.query';
import { InvalidCursorError } from '../application/list-orders/order-cursor';
import { PlaceOrderCommand } from '../application/place-order/place-order.command';
import { SagasAtCapacity } from '../application/place-order/saga-admission';
import { OrderAlreadyCancelledError } from '../domain/order';
import { RequestHeader } from './request-header.decorator';

/**
 * The order API the gateway calls on behalf of an authenticated customer. A request without the
 * gateway's caller token is refused (401) before it is routed (`callerAuthentication`).
 */
@Controller('internal/orders')
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
  ): Promise<PlacedOrderDto> {
    return this.commands.execute(new PlaceOrderCommand(customerId, idempotencyKey, body, correlationId)).catch(unavailableWhenAtCapacity);
  }

  /**
   * 202 `{orderId, status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED'}`, also when
   * asked again: the order is cancelled now, its compensations (void or refund, restock,
   * cancel the shipment) follow asynchronously. 409 ORDER_ALREADY_CANCELLED when the saga
   * cancelled it for another reason; 404 for an unknown order or someone else's.
   */
  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  async cancel(@Caller('userId') customerId: string, @Param('id') orderId: string, @Caller('correlationId') correlationId: string): Promise<CancelledOrderDto> {
    if (!isId(orderId)) throw orderNotFound();
    const cancelled = await this.commands.execute(new CancelOrderCommand(orderId, customerId, correlationId)).catch(conflictWhenAlreadyCancelled);
    if (!cancelled) throw orderNotFound();
    return cancelled;
  }

  @Get(':id')
  async get(@Caller('userId') customerId: string, @Param('id') orderId: string): Promise<OrderView> {
    const order = isId(orderId) ? await this.queries.execute(new GetOrderQuery(orderId, customerId)) : null;
    if (!order) throw orderNotFound();
    return order;
  }

  @Get()
  async list(@Caller('userId') customerId: string, @Query(new ZodValidationPipe(orderPageQuerySchema)) params: OrderPageQuery): Promise<OrderPage> {
    try {
      return await this.queries.execute(new ListOrdersQuery(customerId, params.limit, params.cursor));
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new ApiError(HttpStatus.BAD_REQUEST, error.code, error.message);
      throw error;
    }
  }
}

/** Also the answer about another customer's order, which must look exactly like one that does not exist. */
export function orderNotFound(): ApiError {
  return new ApiError(HttpStatus.NOT_FOUND, 'ORDER_NOT_FOUND', 'No such order');
}

function unavailableWhenAtCapacity(error: unknown): never {
  if (error instanceof SagasAtCapacity) {
    throw new ApiError(
      HttpStatus.SERVICE_UNAVAILABLE,
      error.code,
      error.message,
      { retryAfterSeconds: error.retryAfterSeconds },
      { 'Retry-After': String(error.retryAfterSeconds) },
    );
  }
  throw error;
}

function conflictWhenAlreadyCancelled(error: unknown): never {
  if (error instanceof OrderAlreadyCancelledError) {
    throw new ApiError(HttpStatus.CONFLICT, error.code, error.message, { cancellationReason: error.cancellationReason });
  }
  throw error;
}
