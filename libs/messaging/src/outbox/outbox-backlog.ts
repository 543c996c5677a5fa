import { Injectable, Optional } from '@nestjs/common';
import { MessageTransactions } from '@orders/persistence';
import { DataSource } from 'typeorm';

export interface Backlog {
  /** Outbox rows (events) written but not published to JetStream yet. */
  rows: number;
  /** Age of the oldest of them; 0 when every row is published. */
  oldestAgeSeconds: number;
}

/**
 * Counts the service's outbox rows not published yet (`published_at IS NULL`), for
 * metrics and readiness details alike. Only apps with an outbox (MessageTransactions)
 * have a backlog; edge apps have none.
 */
@Injectable()
export class OutboxBacklog {
  private readonly dataSource?: DataSource;

  constructor(@Optional() transactions?: MessageTransactions, @Optional() dataSource?: DataSource) {
    if (transactions) this.dataSource = dataSource;
  }

  get exists(): boolean {
    return this.dataSource !== undefined;
  }

  /** Rejects after `timeoutMs`, so a probe or a scrape never waits for an unreachable database. */
  async read(options: { timeoutMs: number }): Promise<Backlog> {
    if (!this.dataSource) throw new Error('This app has no outbox');
    const query = this.dataSource.query(
      `SELECT count(*)::int AS rows, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM outbox WHERE published_at IS NULL`,
    ) as Promise<Array<{ rows: number; age: number }>>;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the outbox was not counted within ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    try {
      const [row] = await Promise.race([query, timeout]);
      return { rows: row.rows, oldestAgeSeconds: row.age };
    } finally {
      clearTimeout(timer);
    }
  }
}
