import { Injectable, Logger, Optional } from '@nestjs/common';
import { MessageTransactions } from '@orders/messaging';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

interface Backlog {
  rows: number;
  oldestAgeSeconds: number;
}

/** One scrape collects both gauges from one query. */
const SNAPSHOT_REUSE_MS = 1_000;

const GAUGES = [
  { name: 'orders_outbox_backlog', help: 'Outbox rows (events) written but not published to JetStream yet', of: (backlog: Backlog) => backlog.rows },
  { name: 'orders_outbox_oldest_age_seconds', help: 'Age of the oldest outbox row not published yet; 0 when every row is published', of: (backlog: Backlog) => backlog.oldestAgeSeconds },
] as const;

/**
 * `orders_outbox_backlog` and `orders_outbox_oldest_age_seconds`: the service's outbox
 * rows not published yet (`published_at IS NULL`), counted in its database at every
 * scrape. Only apps with an outbox (MessageTransactions) have them. Rows that cannot be
 * counted leave the gauges without samples in that scrape.
 */
@Injectable()
export class OutboxMetrics {
  private readonly logger = new Logger(OutboxMetrics.name);
  private snapshot?: { at: number; backlog: Promise<Backlog | undefined> };

  constructor(registry: Registry, @Optional() transactions?: MessageTransactions, @Optional() dataSource?: DataSource) {
    if (!transactions || !dataSource) return;
    for (const { name, help, of } of GAUGES) {
      const gauge: Gauge = new Gauge({
        name,
        help,
        registers: [registry],
        collect: async () => {
          const current = await this.backlog(dataSource);
          if (current) gauge.set(of(current));
          else gauge.reset();
        },
      });
    }
  }

  private backlog(dataSource: DataSource): Promise<Backlog | undefined> {
    if (!this.snapshot || performance.now() - this.snapshot.at > SNAPSHOT_REUSE_MS) {
      const backlog = count(dataSource).catch((error: unknown) => {
        this.logger.warn(`Outbox backlog left out of this scrape, it could not be counted: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      this.snapshot = { at: performance.now(), backlog };
    }
    return this.snapshot.backlog;
  }
}

async function count(dataSource: DataSource): Promise<Backlog> {
  const [row] = (await dataSource.query(
    `SELECT count(*)::int AS rows, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM outbox WHERE published_at IS NULL`,
  )) as Array<{ rows: number; age: number }>;
  return { rows: row.rows, oldestAgeSeconds: row.age };
}
