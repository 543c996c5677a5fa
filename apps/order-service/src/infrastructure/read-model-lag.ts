import { Injectable } from '@nestjs/common';
import { ConsumerStates } from '@orders/messaging';
import { DataSource } from 'typeorm';
import { ORDER_VIEWS_PROJECTION } from './typeorm-order-views';

/** Bounds each JetStream request of a scrape, which must answer quickly. */
const JETSTREAM_TIMEOUT_MS = 2_000;

/**
 * How far the order read model is behind the saga events. While any of order-service's
 * consumers (they all project into `order_views`) has events pending or unacknowledged,
 * the lag is now minus the latest `occurredAt` applied (the watermark), else 0. After an
 * idle period the first pending event briefly reads as old as the idle time: the alert on
 * it waits minutes, so only a projection that stays behind raises it.
 */
@Injectable()
export class ReadModelLag {
  constructor(
    private readonly consumers: ConsumerStates,
    private readonly dataSource: DataSource,
  ) {}

  async seconds(now: Date = new Date()): Promise<number> {
    const states = await this.consumers.read({ timeoutMs: JETSTREAM_TIMEOUT_MS });
    if (states.every((state) => state.numPending + state.numAckPending === 0)) return 0;
    // Before any event was applied, the read model is as old as the first order waiting for one.
    const [row] = (await this.dataSource.query(
      `SELECT COALESCE((SELECT applied_until FROM projection_watermark WHERE projection = $1), (SELECT min(created_at) FROM order_views)) AS since`,
      [ORDER_VIEWS_PROJECTION],
    )) as Array<{ since: Date | null }>;
    if (!row.since) return 0;
    return Math.max(0, (now.getTime() - row.since.getTime()) / 1000);
  }
}
