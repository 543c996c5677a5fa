import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServicesState, ServiceStatusAdmin } from '../application/service-status-admin';
import { API_ERRORS, AUTHENTICATED_ROUTE_ERRORS } from './api-docs/api-errors';
import { servicesStateExample } from './api-docs/examples';
import { servicesStateSchema } from './api-docs/gateway-schemas';
import { ApiErrorResponses, ApiJsonResponse } from './api-docs/openapi-decorators';
import { RequireRole } from './require-role';

/** The services as operators watch them: each replica's readiness, outbox and breakers, and each service's dead letters. */
@Controller('api/v1/admin/services')
@RequireRole('ops')
@ApiTags('admin')
export class ServicesController {
  constructor(private readonly status: ServiceStatusAdmin) {}

  @Get()
  @ApiOperation({
    summary: 'The services and their replicas',
    description:
      'Asks every replica of every service for its status over NATS and gathers the answers for `waitedMs`: each replica with its readiness (and why not), its outbox backlog and the age of the oldest unpublished row, and the state of the circuit breaker of each provider it calls; each service with its dead letters. A service none of whose replicas answered is listed with `noAnswer` saying why, never an error.',
  })
  @ApiJsonResponse(HttpStatus.OK, 'The services, in a fixed order.', servicesStateSchema, {
    services: { summary: 'Two replicas and a service that does not answer', value: servicesStateExample },
  })
  @ApiErrorResponses(API_ERRORS.forbidden, ...AUTHENTICATED_ROUTE_ERRORS)
  services(): Promise<ServicesState> {
    return this.status.services();
  }
}
