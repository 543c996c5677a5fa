import { Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { HEADERS, orderItemSchema, shippingAddressSchema } from '@orders/contracts';
import { ApiError, ZodValidationPipe } from '@orders/service-runtime';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ForwardRequestHandler } from '../application/forward-request.handler';
import { RequestContext } from '../application/request-context';
import { Caller } from './auth.guard';
import { forwardedBody, queryString, relay } from './http-relay';

/**
 * Rejects what is obviously wrong before it travels further. order-service owns the full
 * validation (payment details and the rest), so unknown fields pass through.
 */
const placeOrderSchema = z.looseObject({
  items: z.array(orderItemSchema).min(1).max(100),
  shippingAddress: shippingAddressSchema,
});

const orderIdPipe = new ZodValidationPipe(z.uuid('the order id is a UUID'));

/** Order commands and reads, served by order-service's internal HTTP API. */
@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly forward: ForwardRequestHandler) {}

  @Post()
  async place(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    const idempotencyKey = request.headers[HEADERS.idempotencyKey];
    if (typeof idempotencyKey !== 'string' || idempotencyKey.trim() === '') {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'IDEMPOTENCY_KEY_REQUIRED', 'Placing an order requires an Idempotency-Key header');
    }
    new ZodValidationPipe(placeOrderSchema).transform(request.body);
    const body = forwardedBody(request);
    relay(response, await this.forward.execute('order-service', { method: 'POST', path: '/internal/orders', headers: request.headers, body }, caller));
  }

  /** Customer cancel: 202 once the order is CANCELLED, the compensations follow (see order-service). Takes no body. */
  @Post(':id/cancel')
  async cancel(@Param('id', orderIdPipe) id: string, @Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    const path = `/internal/orders/${encodeURIComponent(id)}/cancel`;
    relay(response, await this.forward.execute('order-service', { method: 'POST', path, headers: request.headers }, caller));
  }

  @Get(':id')
  async get(@Param('id', orderIdPipe) id: string, @Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    const path = `/internal/orders/${encodeURIComponent(id)}`;
    relay(response, await this.forward.execute('order-service', { method: 'GET', path, headers: request.headers }, caller));
  }

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    const path = `/internal/orders${queryString(request)}`;
    relay(response, await this.forward.execute('order-service', { method: 'GET', path, headers: request.headers }, caller));
  }
}
