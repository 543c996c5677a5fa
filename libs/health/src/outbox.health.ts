import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { OutboxBacklog } from '@orders/messaging';

/** Readiness answers within a probe's timeout even when the database is slow to count. */
const COUNT_TIMEOUT_MS = 1_000;

/**
 * The events written but not published yet and the age of the oldest. Always `up`: a
 * backlog grows while NATS is down (which readiness reports on its own) and is
 * published once it is back; the service keeps taking work meanwhile.
 */
@Injectable()
export class OutboxHealthIndicator {
  constructor(
    private readonly outbox: OutboxBacklog,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const indicator = this.health.check(key);
    try {
      return indicator.up({ ...(await this.outbox.read({ timeoutMs: COUNT_TIMEOUT_MS })) });
    } catch (error) {
      return indicator.up({ rows: null, oldestAgeSeconds: null, message: `unknown: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
