import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@orders/shared-kernel';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { AdmissionSettings, SagasInFlight } from '../application/place-order/saga-admission';

/**
 * How stale a count may be. Counting is one index-only query; doing it at most this often
 * keeps it off the placement's cost while letting the count follow the sagas closely.
 */
const REFRESH_MS = 100;

/**
 * Counts recent PENDING orders in the order database (the `orders_pending_by_age` index), so
 * every replica sees the same figure, at most once per REFRESH_MS and in the background once it
 * has a first count; `orders_sagas_in_flight` shows it.
 */
@Injectable()
export class SqlSagasInFlight extends SagasInFlight {
  private readonly logger = new Logger(SqlSagasInFlight.name);
  private counted = 0;
  private addedSince = 0;
  private countedAt = -Infinity;
  private counting?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: AdmissionSettings,
    private readonly clock: Clock,
    registry: Registry,
  ) {
    super();
    const gauge: Gauge = new Gauge({
      name: 'orders_sagas_in_flight',
      help: 'Sagas placed within the admission window (ADMISSION_WINDOW_MS) and still running, across replicas',
      registers: [registry],
      // A scrape is rare enough to wait for a fresh count, and should not show the last one.
      collect: async () => gauge.set((await this.recountOnce()) + this.addedSince),
    });
  }

  async count(): Promise<number> {
    if (this.countedAt === -Infinity) await this.recountOnce();
    // A stale count is answered at once while a fresh one is taken: admission never waits for a database connection.
    else if (performance.now() - this.countedAt >= REFRESH_MS)
      void this.recountOnce().catch((error: unknown) => this.logger.warn(`Could not count the sagas in flight: ${String(error)}`));
    return this.counted + this.addedSince;
  }

  added(): void {
    this.addedSince += 1;
  }

  private recountOnce(): Promise<number> {
    return (this.counting ??= this.recount().finally(() => (this.counting = undefined)));
  }

  private async recount(): Promise<number> {
    const startedAt = performance.now();
    const addedBefore = this.addedSince;
    const since = new Date(this.clock.now().getTime() - this.settings.windowMs);
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'PENDING' AND created_at > $1`, [since])) as Array<{ n: number }>;
    // Placements admitted while the query ran may or may not be in it; counting them twice errs on the safe side until the next count.
    this.addedSince -= addedBefore;
    this.counted = row.n;
    this.countedAt = startedAt;
    return row.n;
  }
}
