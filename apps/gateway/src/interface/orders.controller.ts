import { Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { cancelledOrderSchema, idempotencyKeySchema, orderPageQuerySchema, orderPageSchema, orderViewSchema, placedOrderSchema, placeOrderBodySchema } from '@orders/contracts';
import { ZodValidationPipe } from '@orders/service-runtime';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ForwardRequestHandler } from '../application/forward-request.handler';
import { RequestContext } from '../application/request-context';
import { UpstreamResponse } from '../application/upstream';
import { API_ERRORS, AUTHENTICATED_ROUTE_ERRORS, JSON_BODY_ERRORS, UPSTREAM_ERRORS } from './api-docs/api-errors';
import { confirmedOrderExample, EXAMPLE_CURSOR, EXAMPLE_ORDER_ID, orderViewExamples, placeOrderExample } from './api-docs/examples';
import { LOCATION_HEADER } from './api-docs/openapi-objects';
import { ApiErrorResponses, ApiIdempotencyKey, ApiJsonBody, ApiJsonResponse, ApiPathParameter, ApiQueryParameters } from './api-docs/openapi-decorators';
import { Caller } from './auth.guard';
import { forwardedBody, queryString, relay } from './http-relay';
import { PlacementShedding } from './placement-shedding';
import { RequireIdempotencyKey } from './require-idempotency-key';

/** Refuses an invalid order (unknown fields included) here, with the schema order-service validates it with again. */
const placeOrderPipe = new ZodValidationPipe(placeOrderBodySchema);

const orderIdPipe = new ZodValidationPipe(z.uuid('the order id is a UUID'));

/** Where the gateway serves the orders; public paths are the gateway's, order-service knows only its internal ones. */
const ORDERS_PATH = '/api/v1/orders';

/** Order commands and reads, served by order-service's internal HTTP API. */
@Controller(ORDERS_PATH)
@ApiTags('orders')
export class OrdersController {
  constructor(
    private readonly forward: ForwardRequestHandler,
    private readonly shedding: PlacementShedding,
  ) {}

  @Post()
  @RequireIdempotencyKey()
  @ApiOperation({
    summary: 'Place an order',
    description:
      'Accepts the order as `PENDING` and answers at once; stock, payment and shipping follow asynchronously and the order becomes `CONFIRMED` or `CANCELLED` with a `cancellationReason` (poll `Location`). Test payment tokens: `tok_visa` approves, `tok_declined` declines; shipping to country `AQ` is unsupported.',
  })
  @ApiIdempotencyKey(idempotencyKeySchema)
  @ApiJsonBody(placeOrderBodySchema, {
    order: { summary: 'Two T-shirts and a mug', value: placeOrderExample },
    declined: { summary: 'A card the provider declines', value: { ...placeOrderExample, payment: { token: 'tok_declined' } } },
  })
  @ApiJsonResponse(
    HttpStatus.ACCEPTED,
    'Accepted; the same answer again for a retry with the same Idempotency-Key and body.',
    placedOrderSchema,
    {
      accepted: { summary: 'Accepted', value: { orderId: EXAMPLE_ORDER_ID, status: 'PENDING' } },
    },
    LOCATION_HEADER,
  )
  @ApiErrorResponses(
    API_ERRORS.validationFailed,
    API_ERRORS.idempotencyKeyRequired,
    API_ERRORS.invalidIdempotencyKey,
    ...JSON_BODY_ERRORS,
    API_ERRORS.idempotencyKeyReused,
    ...AUTHENTICATED_ROUTE_ERRORS,
    API_ERRORS.atCapacity,
    ...UPSTREAM_ERRORS,
  )
  async place(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    placeOrderPipe.transform(request.body);
    const body = forwardedBody(request);
    const refusal = this.shedding.refusalFor(caller.requestId);
    if (refusal) return relay(response, refusal);
    const placed = await this.forward.execute('order-service', { method: 'POST', path: '/internal/orders', headers: request.headers, body }, caller);
    this.shedding.noted(placed);
    relay(response, withOrderLocation(placed));
  }

  /** Customer cancel: 202 once the order is CANCELLED, the compensations follow (see order-service). Takes no body. */
  @Post(':id/cancel')
  @RequireIdempotencyKey()
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      'Cancels the order at once (`CANCELLED`, `CUSTOMER_CANCELLED`) while its shipment has not been dispatched; voiding or refunding the payment, restocking and cancelling the shipment follow asynchronously and appear on the timeline. Asking again answers the same. Takes no body.',
  })
  @ApiPathParameter('id', orderViewSchema.shape.orderId, EXAMPLE_ORDER_ID)
  @ApiIdempotencyKey(idempotencyKeySchema)
  @ApiJsonResponse(
    HttpStatus.ACCEPTED,
    'Cancelled; compensations follow.',
    cancelledOrderSchema,
    {
      cancelled: { summary: 'Cancelled', value: { orderId: EXAMPLE_ORDER_ID, status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED' } },
    },
    LOCATION_HEADER,
  )
  @ApiErrorResponses(
    API_ERRORS.validationFailed,
    API_ERRORS.idempotencyKeyRequired,
    API_ERRORS.invalidIdempotencyKey,
    API_ERRORS.orderNotFound,
    API_ERRORS.orderAlreadyCancelled,
    ...AUTHENTICATED_ROUTE_ERRORS,
    ...UPSTREAM_ERRORS,
  )
  async cancel(@Param('id', orderIdPipe) id: string, @Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    const path = `/internal/orders/${encodeURIComponent(id)}/cancel`;
    const cancelled = await this.forward.execute('order-service', { method: 'POST', path, headers: request.headers }, caller);
    relay(response, withOrderLocation(cancelled));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read an order',
    description: 'Its status, lines, total once stock is reserved, cancellation reason and the timeline of its saga. Only its customer sees it.',
  })
  @ApiPathParameter('id', orderViewSchema.shape.orderId, EXAMPLE_ORDER_ID)
  @ApiJsonResponse(HttpStatus.OK, 'The order.', orderViewSchema, orderViewExamples)
  @ApiErrorResponses(API_ERRORS.validationFailed, API_ERRORS.orderNotFound, ...AUTHENTICATED_ROUTE_ERRORS, ...UPSTREAM_ERRORS)
  async get(@Param('id', orderIdPipe) id: string, @Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    const path = `/internal/orders/${encodeURIComponent(id)}`;
    relay(response, await this.forward.execute('order-service', { method: 'GET', path, headers: request.headers }, caller));
  }

  @Get()
  @ApiOperation({ summary: "The caller's orders, newest first" })
  @ApiQueryParameters(orderPageQuerySchema)
  @ApiJsonResponse(HttpStatus.OK, 'A page of orders; pass `nextCursor` as `cursor` for the next one (null on the last page).', orderPageSchema, {
    page: { summary: 'A page with more to come', value: { items: [confirmedOrderExample], nextCursor: EXAMPLE_CURSOR } },
  })
  @ApiErrorResponses(API_ERRORS.validationFailed, API_ERRORS.invalidCursor, ...AUTHENTICATED_ROUTE_ERRORS, ...UPSTREAM_ERRORS)
  async list(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    const path = `/internal/orders${queryString(request)}`;
    relay(response, await this.forward.execute('order-service', { method: 'GET', path, headers: request.headers }, caller));
  }
}

/** All the gateway reads of an accepted command's answer; the rest is order-service's to define. */
const acceptedCommandSchema = z.object({ orderId: z.uuid() });

/** An accepted command's answer points at the order it placed or cancelled; refusals point nowhere. */
function withOrderLocation(answer: UpstreamResponse): UpstreamResponse {
  if (answer.status !== HttpStatus.ACCEPTED) return answer;
  const { orderId } = acceptedCommandSchema.parse(JSON.parse(answer.body.toString('utf8')));
  return { ...answer, headers: { ...answer.headers, location: `${ORDERS_PATH}/${orderId}` } };
}
