import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { SagaSettings } from '../application/saga-settings';
import { ReadModelLag } from './read-model-lag';

const STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;

/**
 * `orders_by_status{status}`, `orders_overdue_pending` (PENDING orders older than the
 * saga deadline, which the watchdog should already have timed out) and
 * `orders_read_model_lag_seconds` (see ReadModelLag), measured at every scrape. When
 * the database or JetStream cannot be asked the gauge has no samples in that scrape.
 */
@Injectable()
export class OrderStatusMetrics {
  private readonly logger = new Logger(OrderStatusMetrics.name);

  constructor(registry: Registry, dataSource: DataSource, settings: SagaSettings, readModelLag: ReadModelLag) {
    const byStatus: Gauge<'status'> = new Gauge({
      name: 'orders_by_status',
      help: 'Orders by status',
      labelNames: ['status'],
      registers: [registry],
      collect: () =>
        this.counted(byStatus, async () => {
          const rows = (await dataSource.query(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`)) as Array<{ status: string; n: number }>;
          for (const status of STATUSES) byStatus.set({ status }, rows.find((row) => row.status === status)?.n ?? 0);
        }),
    });
    const overdue: Gauge = new Gauge({
      name: 'orders_overdue_pending',
      help: 'PENDING orders placed longer ago than the saga deadline (SAGA_TIMEOUT_MS): sagas the watchdog has not ended',
      registers: [registry],
      collect: () =>
        this.counted(overdue, async () => {
          const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => $1)`, [
            settings.timeoutMs / 1000,
          ])) as Array<{ n: number }>;
          overdue.set(row.n);
        }),
    });
    const lag: Gauge = new Gauge({
      name: 'orders_read_model_lag_seconds',
      help: 'How far order_views is behind the saga events: while order-service has events pending, now minus the occurredAt of the last one applied; else 0',
      registers: [registry],
      collect: () => this.counted(lag, async () => lag.set(await readModelLag.seconds())),
    });
  }

  private async counted(gauge: Gauge<string>, count: () => Promise<void>): Promise<void> {
    try {
      await count();
    } catch (error) {
      gauge.reset();
      this.logger.warn(`Left out of this scrape, it could not be measured: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
