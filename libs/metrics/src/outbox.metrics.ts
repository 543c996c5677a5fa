import { Injectable, Logger } from '@nestjs/common';
import { Backlog, OutboxBacklog } from '@orders/messaging';
import { Gauge, Registry } from 'prom-client';

/** Well within Prometheus's default 10 s scrape timeout, like the dead-letter count. */
const COUNT_TIMEOUT_MS = 2_000;
/** One scrape collects both gauges from one query. */
const SNAPSHOT_REUSE_MS = 1_000;

const GAUGES = [
  { name: 'orders_outbox_backlog', help: 'Outbox rows (events) written but not published to JetStream yet', of: (backlog: Backlog) => backlog.rows },
  {
    name: 'orders_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox row not published yet; 0 when every row is published',
    of: (backlog: Backlog) => backlog.oldestAgeSeconds,
  },
] as const;

/**
 * `orders_outbox_backlog` and `orders_outbox_oldest_age_seconds`: the service's outbox
 * rows not published yet, counted in its database at every scrape. Only apps with an
 * outbox have them. Rows that cannot be counted leave the gauges without samples in
 * that scrape.
 */
@Injectable()
export class OutboxMetrics {
  private readonly logger = new Logger(OutboxMetrics.name);
  private snapshot?: { at: number; backlog: Promise<Backlog | undefined> };

  constructor(
    registry: Registry,
    private readonly outbox: OutboxBacklog,
  ) {
    if (!outbox.exists) return;
    for (const { name, help, of } of GAUGES) {
      const gauge: Gauge = new Gauge({
        name,
        help,
        registers: [registry],
        collect: async () => {
          const current = await this.backlog();
          if (current) gauge.set(of(current));
          else gauge.reset();
        },
      });
    }
  }

  private backlog(): Promise<Backlog | undefined> {
    if (!this.snapshot || performance.now() - this.snapshot.at > SNAPSHOT_REUSE_MS) {
      const backlog = this.outbox.read({ timeoutMs: COUNT_TIMEOUT_MS }).catch((error: unknown) => {
        this.logger.warn(`Outbox backlog left out of this scrape, it could not be counted: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      this.snapshot = { at: performance.now(), backlog };
    }
    return this.snapshot.backlog;
  }
}
