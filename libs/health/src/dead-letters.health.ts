import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DeadLetters, NatsConnectionManager } from '@orders/messaging';

/** Readiness answers within a probe's timeout even when JetStream is slow to count. */
const COUNT_TIMEOUT_MS = 1_000;

/**
 * How many of this service's messages wait in the dead-letter queue. Always `up`:
 * dead letters need an operator (and raise an alert), while taking the service out
 * of rotation would only stop the messages that still work.
 */
@Injectable()
export class DeadLettersHealthIndicator {
  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly nats: NatsConnectionManager,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const indicator = this.health.check(key);
    const service = this.nats.serviceName;
    if (!this.nats.isConnected()) return indicator.up({ service, depth: null, message: 'unknown while NATS is not connected' });
    try {
      return indicator.up({ service, depth: await this.deadLetters.depth(service, { timeoutMs: COUNT_TIMEOUT_MS }) });
    } catch (error) {
      return indicator.up({ service, depth: null, message: `unknown: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
