import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BusAdmin, BusState } from '../application/bus-admin';
import { API_ERRORS, AUTHENTICATED_ROUTE_ERRORS } from './api-docs/api-errors';
import { busStateExample } from './api-docs/examples';
import { busStateSchema } from './api-docs/gateway-schemas';
import { ApiErrorResponses, ApiJsonResponse } from './api-docs/openapi-decorators';
import { RequireRole } from './require-role';

/** The message bus as operators watch it: what each stream holds and how far behind each consumer is. */
@Controller('api/v1/admin/bus')
@RequireRole('ops')
@ApiTags('admin')
export class BusController {
  constructor(private readonly bus: BusAdmin) {}

  @Get()
  @ApiOperation({
    summary: 'The message bus',
    description:
      'Every JetStream stream with its messages, bytes and replicas, and each of its durable consumers with its lag (`pending`), unacknowledged and redelivered messages.',
  })
  @ApiJsonResponse(HttpStatus.OK, 'The streams, by name.', busStateSchema, { bus: { summary: 'One stream', value: busStateExample } })
  @ApiErrorResponses(API_ERRORS.forbidden, ...AUTHENTICATED_ROUTE_ERRORS, API_ERRORS.upstreamUnavailable)
  state(): Promise<BusState> {
    return this.bus.state();
  }
}
