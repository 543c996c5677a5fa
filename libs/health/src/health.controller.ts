import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { OutboxBacklog } from '@orders/messaging';
import { DataSource } from 'typeorm';
import { ConsumersHealthIndicator } from './consumers.health';
import { DeadLettersHealthIndicator } from './dead-letters.health';
import { NatsHealthIndicator } from './nats.health';
import { OutboxHealthIndicator } from './outbox.health';

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** Services check their own database; edge apps have none. */
  database: boolean;
}

/**
 * Liveness answers without touching anything, so a slow dependency never gets the
 * process restarted. Readiness checks only what this process owns (its database and
 * its NATS connection), never another service or an external provider. It also shows
 * details for an operator, which never make it fail: the state of the service's
 * consumers, its outbox backlog (apps with an outbox) and its dead-letter depth.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly nats: NatsHealthIndicator,
    private readonly database: TypeOrmHealthIndicator,
    private readonly consumers: ConsumersHealthIndicator,
    private readonly outbox: OutboxHealthIndicator,
    private readonly outboxBacklog: OutboxBacklog,
    private readonly deadLetters: DeadLettersHealthIndicator,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    /**
     * Handed to the database check: left to itself, terminus looks the DataSource up with the
     * token of its own import of @nestjs/typeorm, which in a bundle with TypeORM compiled in is a
     * second copy from node_modules that knows no DataSource of the app.
     */
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // No OpenAPI decorators: no app documents its probes (the gateway's document holds only /api),
  // and with them every app would load @nestjs/swagger at start, about 7 MB of memory for nothing.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  ready() {
    const checks: HealthIndicatorFunction[] = [() => this.nats.check('nats')];
    if (this.options.database) checks.push(() => this.database.pingCheck('database', { timeout: 1_500, connection: this.dataSource }));
    checks.push(() => this.consumers.check('consumers'));
    if (this.outboxBacklog.exists) checks.push(() => this.outbox.check('outbox'));
    checks.push(() => this.deadLetters.check('deadLetters'));
    return this.health.check(checks);
  }
}
