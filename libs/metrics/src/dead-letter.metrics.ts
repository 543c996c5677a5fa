import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeadLetters } from '@orders/messaging';
import { Gauge, Registry } from 'prom-client';
import { METRICS_OPTIONS, MetricsOptions } from './metrics-options';

/** Well within Prometheus's default 10 s scrape timeout, so a slow JetStream never costs the other metrics. */
const COUNT_TIMEOUT_MS = 2_000;

/**
 * `orders_dead_letters`: how many of this service's messages wait in the dead-letter
 * queue, counted in JetStream at every scrape. When they cannot be counted the gauge
 * has no sample in that scrape: an alert on it then sees no data instead of a
 * made-up 0 or the last known depth.
 */
@Injectable()
export class DeadLetterMetrics {
  private readonly logger = new Logger(DeadLetterMetrics.name);
  private readonly depth: Gauge;

  constructor(
    registry: Registry,
    private readonly deadLetters: DeadLetters,
    @Inject(METRICS_OPTIONS) private readonly options: MetricsOptions,
  ) {
    this.depth = new Gauge({
      name: 'orders_dead_letters',
      help: 'Messages of this service in the dead-letter queue, waiting for an operator to replay or discard them',
      registers: [registry],
      collect: () => this.count(),
    });
  }

  private async count(): Promise<void> {
    try {
      this.depth.set(await this.deadLetters.depth(this.options.service, { timeoutMs: COUNT_TIMEOUT_MS }));
    } catch (error) {
      this.depth.remove();
      this.logger.warn(`Dead letters of ${this.options.service} left out of this scrape, they could not be counted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
