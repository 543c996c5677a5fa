import { Injectable, Logger } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { SagaSettings } from '../application/saga-settings';

const STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED'] as const;

/**
 * `orders_by_status{status}` and `orders_overdue_pending` (PENDING orders older than the
 * saga deadline, which the watchdog should already have timed out), counted at every
 * scrape. When the database cannot be asked the gauges have no samples in that scrape.
 */
@Injectable()
export class OrderStatusMetrics {
  private readonly logger = new Logger(OrderStatusMetrics.name);

  constructor(registry: Registry, dataSource: DataSource, settings: SagaSettings) {
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
  }

  private async counted(gauge: Gauge<string>, count: () => Promise<void>): Promise<void> {
    try {
      await count();
    } catch (error) {
      gauge.reset();
      this.logger.warn(`Orders left out of this scrape, they could not be counted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
