import { Inject, Injectable, Optional, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, TypeOrmHealthIndicator } from '@nestjs/terminus';
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
  /** Every replica answers the operators' status requests on `status.<service>` (ADR 0019). */
  answersStatusRequests?: boolean;
}

/**
 * What the readiness probe checks: only what this process owns (its database and its NATS
 * connection), never another service or an external provider, plus details for an operator
 * that never make it fail: the state of the service's consumers, its outbox backlog (apps with
 * an outbox) and its dead-letter depth.
 */
@Injectable()
export class Readiness {
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

  /** Resolves when ready; rejects with a 503 carrying the same result when not, as the probe answers. */
  check(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.nats.check('nats')];
    if (this.options.database) checks.push(() => this.database.pingCheck('database', { timeout: 1_500, connection: this.dataSource }));
    checks.push(() => this.consumers.check('consumers'));
    if (this.outboxBacklog.exists) checks.push(() => this.outbox.check('outbox'));
    checks.push(() => this.deadLetters.check('deadLetters'));
    return this.health.check(checks);
  }

  /** The result whether ready or not. */
  result(): Promise<HealthCheckResult> {
    return this.check().catch((error: unknown) => {
      if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
      throw error;
    });
  }
}
