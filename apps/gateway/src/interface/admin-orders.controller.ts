import { Controller, Get, HttpStatus, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { orderViewSchema } from '@orders/contracts';
import { ZodValidationPipe } from '@orders/service-runtime';
import type { Request, Response } from 'express';
import { ForwardRequestHandler } from '../application/forward-request.handler';
import { RequestContext } from '../application/request-context';
import { ADMIN_ROUTE_ERRORS, API_ERRORS } from './api-docs/api-errors';
import { EXAMPLE_ORDER_ID, orderViewExamples } from './api-docs/examples';
import { ApiErrorResponses, ApiJsonResponse, ApiPathParameter } from './api-docs/openapi-decorators';
import { Caller } from './auth.guard';
import { relay } from './http-relay';
import { RequireRole } from './require-role';

/** Operators read any customer's order, e.g. to follow the saga of one a dead letter held back. */
@Controller('api/v1/admin/orders')
@RequireRole('ops')
@ApiTags('admin')
export class AdminOrdersController {
  constructor(private readonly forward: ForwardRequestHandler) {}

  @Get(':id')
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
    const path = `/internal/admin/orders/${encodeURIComponent(id)}`;
    relay(response, await this.forward.execute('order-service', { method: 'GET', path, headers: request.headers }, caller));
  }
}
