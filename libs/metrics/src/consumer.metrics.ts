import { ConsumerInfo, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Injectable, Logger } from '@nestjs/common';
import { STREAMS } from '@orders/contracts';
import { NatsConnectionManager } from '@orders/messaging';
import { Gauge, Registry } from 'prom-client';

/** Well within Prometheus's default 10 s scrape timeout, like the dead-letter count. */
const INFO_TIMEOUT_MS = 2_000;
/** One scrape collects three gauges from one look at JetStream, not three. */
const SNAPSHOT_REUSE_MS = 1_000;

const GAUGES = [
  { name: 'orders_consumer_pending_messages', help: 'Messages in the stream that this consumer has not been delivered yet (its lag)', of: (info: ConsumerInfo) => info.num_pending },
  { name: 'orders_consumer_ack_pending', help: 'Messages delivered to this consumer and not acknowledged yet (being handled or waiting for redelivery)', of: (info: ConsumerInfo) => info.num_ack_pending },
  { name: 'orders_consumer_redelivered', help: 'Messages of this consumer delivered more than once and not acknowledged yet', of: (info: ConsumerInfo) => info.num_redelivered },
] as const;

/**
 * Lag and redeliveries of this service's durable consumers (named `<service>-...`), read
 * from JetStream at every scrape. When JetStream cannot be asked, the gauges have no
 * samples in that scrape rather than stale ones.
 */
@Injectable()
export class ConsumerMetrics {
  private readonly logger = new Logger(ConsumerMetrics.name);
  private snapshot?: { at: number; consumers: Promise<ConsumerInfo[]> };

  constructor(
    registry: Registry,
    private readonly nats: NatsConnectionManager,
  ) {
    for (const { name, help, of } of GAUGES) {
      const gauge: Gauge<'consumer'> = new Gauge({
        name,
        help,
        labelNames: ['consumer'],
        registers: [registry],
        collect: async () => {
          gauge.reset();
          for (const info of await this.consumers()) gauge.set({ consumer: info.name }, of(info));
        },
      });
    }
  }

  private consumers(): Promise<ConsumerInfo[]> {
    if (!this.snapshot || performance.now() - this.snapshot.at > SNAPSHOT_REUSE_MS) {
      const consumers = this.list().catch((error: unknown) => {
        this.logger.warn(`Consumers of ${this.nats.serviceName} left out of this scrape, JetStream could not be asked: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      });
      this.snapshot = { at: performance.now(), consumers };
    }
    return this.snapshot.consumers;
  }

  private async list(): Promise<ConsumerInfo[]> {
    const jsm = await this.nats.jetstreamManager({ timeout: INFO_TIMEOUT_MS, checkAPI: false });
    const prefix = `${this.nats.serviceName}-`;
    const consumers: ConsumerInfo[] = [];
    for (const { name: stream } of STREAMS) {
      try {
        for await (const info of jsm.consumers.list(stream)) if (info.name.startsWith(prefix)) consumers.push(info);
      } catch (error) {
        // Streams are created by the first service that starts; until then there is nothing to consume.
        if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
      }
    }
    return consumers;
  }
}
