import { Controller, Get } from '@nestjs/common';
import { HealthCheck } from '@nestjs/terminus';
import { Readiness } from './readiness';

/**
 * Liveness answers without touching anything, so a slow dependency never gets the
 * process restarted. Readiness answers 503 only while what this process owns is down
 * (see Readiness), with the details for an operator either way.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // No OpenAPI decorators: no app documents its probes (the gateway's document holds only /api),
  // and with them every app would load @nestjs/swagger at start, about 7 MB of memory for nothing.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  ready() {
    return this.readiness.check();
  }
}
