import { Controller, Get, HttpStatus, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { orderPageQuerySchema, orderPageSchema, orderViewSchema, runningSagaPageSchema } from '@orders/contracts';
import { ZodValidationPipe } from '@orders/service-runtime';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ForwardRequestHandler } from '../application/forward-request.handler';
import { RequestContext } from '../application/request-context';
import { ADMIN_ROUTE_ERRORS, API_ERRORS } from './api-docs/api-errors';
import { confirmedOrderExample, EXAMPLE_CURSOR, EXAMPLE_ORDER_ID, orderViewExamples, runningSagaPageExample } from './api-docs/examples';
import { ApiErrorResponses, ApiJsonResponse, ApiPathParameter, ApiQueryParameters } from './api-docs/openapi-decorators';
import { Caller } from './auth.guard';
import { queryString, relay } from './http-relay';
import { RequireRole } from './require-role';

/** What an operator searches a customer's orders by; order-service validates it. */
const customerOrdersQuerySchema = orderPageQuerySchema.extend({ customerId: z.string().min(1).max(200).meta({ description: 'The customer whose orders to list.' }) });

const NEXT_PAGE = 'pass `nextCursor` as `cursor` for the next one (null on the last page).';
const PAGE_ERRORS = [...ADMIN_ROUTE_ERRORS, API_ERRORS.invalidCursor, API_ERRORS.upstreamTimeout];

/**
 * Operators read any customer's orders and watch the sagas still running, e.g. to follow the saga
 * of an order a dead letter held back. order-service answers them on its admin routes.
 */
@Controller('api/v1/admin')
@RequireRole('ops')
@ApiTags('admin')
export class AdminOrdersController {
  constructor(private readonly forward: ForwardRequestHandler) {}

  @Get('orders/:id')
  @ApiOperation({
    summary: 'Read any order',
    description: 'The order as its customer reads it (status, lines, total, cancellation reason, the timeline of its saga), whoever placed it.',
  })
  @ApiPathParameter('id', orderViewSchema.shape.orderId, EXAMPLE_ORDER_ID)
  @ApiJsonResponse(HttpStatus.OK, 'The order.', orderViewSchema, orderViewExamples)
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, API_ERRORS.orderNotFound, API_ERRORS.upstreamTimeout)
  async get(
    @Param('id', new ZodValidationPipe(orderViewSchema.shape.orderId)) id: string,
    @Req() request: Request,
    @Res() response: Response,
    @Caller() caller: RequestContext,
  ): Promise<void> {
    await this.relayFromOrderService(`/internal/admin/orders/${encodeURIComponent(id)}`, request, response, caller);
  }

  @Get('orders')
  @ApiOperation({
    summary: "A customer's orders",
    description: "Any customer's orders, newest first, whatever their status: what an operator looks at when that customer asks about one.",
  })
  @ApiQueryParameters(customerOrdersQuerySchema)
  @ApiJsonResponse(HttpStatus.OK, `A page of orders; ${NEXT_PAGE}`, orderPageSchema, {
    page: { summary: 'A page with more to come', value: { items: [confirmedOrderExample], nextCursor: EXAMPLE_CURSOR } },
  })
  @ApiErrorResponses(...PAGE_ERRORS)
  async listOfCustomer(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    await this.relayFromOrderService(`/internal/admin/orders${queryString(request)}`, request, response, caller);
  }

  @Get('sagas')
  @ApiOperation({
    summary: 'The running sagas',
    description:
      'The orders still PENDING, oldest (nearest their deadline) first, each with its age, the deadline at which it is cancelled TIMED_OUT and the saga step it waits for.',
  })
  @ApiQueryParameters(orderPageQuerySchema)
  @ApiJsonResponse(HttpStatus.OK, `A page of running sagas; ${NEXT_PAGE}`, runningSagaPageSchema, { page: { summary: 'A page with more to come', value: runningSagaPageExample } })
  @ApiErrorResponses(...PAGE_ERRORS)
  async listRunningSagas(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    await this.relayFromOrderService(`/internal/admin/sagas${queryString(request)}`, request, response, caller);
  }

  private async relayFromOrderService(path: string, request: Request, response: Response, caller: RequestContext): Promise<void> {
    relay(response, await this.forward.execute('order-service', { method: 'GET', path, headers: request.headers }, caller));
  }
}
