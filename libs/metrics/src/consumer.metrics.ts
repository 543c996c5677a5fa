import { Injectable, Logger } from '@nestjs/common';
import { ConsumerState, ConsumerStates } from '@orders/messaging';
import { Gauge, Registry } from 'prom-client';

/** Well within Prometheus's default 10 s scrape timeout, like the dead-letter count. */
const INFO_TIMEOUT_MS = 2_000;
/** One scrape collects three gauges from one look at JetStream, not three. */
const SNAPSHOT_REUSE_MS = 1_000;

const GAUGES = [
  {
    name: 'orders_consumer_pending_messages',
    help: 'Messages in the stream that this consumer has not been delivered yet (its lag)',
    of: (state: ConsumerState) => state.numPending,
  },
  {
    name: 'orders_consumer_ack_pending',
    help: 'Messages delivered to this consumer and not acknowledged yet (being handled or waiting for redelivery)',
    of: (state: ConsumerState) => state.numAckPending,
  },
  { name: 'orders_consumer_redelivered', help: 'Messages of this consumer delivered more than once and not acknowledged yet', of: (state: ConsumerState) => state.numRedelivered },
] as const;

/**
 * Lag and redeliveries of this service's durable consumers, read from JetStream at every
 * scrape. When JetStream cannot be asked, the gauges have no samples in that scrape
 * rather than stale ones.
 */
@Injectable()
export class ConsumerMetrics {
  private readonly logger = new Logger(ConsumerMetrics.name);
  private snapshot?: { at: number; consumers: Promise<ConsumerState[]> };

  constructor(
    registry: Registry,
    private readonly states: ConsumerStates,
  ) {
    for (const { name, help, of } of GAUGES) {
      const gauge: Gauge<'consumer'> = new Gauge({
        name,
        help,
        labelNames: ['consumer'],
        registers: [registry],
        collect: async () => {
          gauge.reset();
          for (const state of await this.consumers()) gauge.set({ consumer: state.name }, of(state));
        },
      });
    }
  }

  private consumers(): Promise<ConsumerState[]> {
    if (!this.snapshot || performance.now() - this.snapshot.at > SNAPSHOT_REUSE_MS) {
      const consumers = this.states.read({ timeoutMs: INFO_TIMEOUT_MS }).catch((error: unknown) => {
        this.logger.warn(`Consumers left out of this scrape, JetStream could not be asked: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      });
      this.snapshot = { at: performance.now(), consumers };
    }
    return this.snapshot.consumers;
  }
}
