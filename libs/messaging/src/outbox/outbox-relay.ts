import { headers as natsHeaders } from '@nats-io/transport-node';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { inSpan, MESSAGING_ATTRIBUTES, orderAttributes, SpanKind, SpanSpec, traceContextOf } from '@orders/tracing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { traceIdOf, withLogContext } from '../logging/log-context';
import { NatsConnectionManager } from '../nats/nats-connection';

export interface OutboxRelayOptions {
  batchSize: number;
  /** Safety net for a missed notification (listener reconnecting); normal latency comes from NOTIFY. */
  pollIntervalMs: number;
  publishTimeoutMs: number;
  /** Published rows are kept this long for inspection, then purged. */
  retentionHours: number;
}

export const DEFAULT_OUTBOX_RELAY_OPTIONS: OutboxRelayOptions = {
  batchSize: 100,
  pollIntervalMs: 2_000,
  publishTimeoutMs: 5_000,
  retentionHours: 24,
};

interface PendingRow {
  id: string;
  subject: string;
  payload: unknown;
  headers: Record<string, string>;
}

const MAX_BACKOFF_MS = 5_000;
const PURGE_INTERVAL_MS = 10 * 60_000;

/**
 * Publishes outbox rows to JetStream. Wakes on the `outbox` NOTIFY sent at commit,
 * claims rows with FOR UPDATE SKIP LOCKED (so replicas never publish the same row at
 * once), publishes with Nats-Msg-Id = event id (so a crash between publish and
 * marking cannot duplicate), and keeps unpublished rows while NATS is unreachable.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private listener?: Client;
  private timers: NodeJS.Timeout[] = [];
  private draining?: Promise<void>;
  private wakeAgain = false;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsConnectionManager,
    private readonly options: OutboxRelayOptions = DEFAULT_OUTBOX_RELAY_OPTIONS,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.nats.ensureStreams();
    await this.listen();
    this.timers.push(setInterval(() => this.wake(), this.options.pollIntervalMs));
    this.timers.push(setInterval(() => void this.purge(), PURGE_INTERVAL_MS));
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    await this.draining;
    await this.listener?.end().catch(() => undefined);
  }

  /** Publishes everything pending now; one drain at a time, re-run if woken meanwhile. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.publishBatch()) === this.options.batchSize);
      this.failures = 0;
    } catch (error) {
      this.failures++;
      const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.failures);
      this.logger.warn(`Outbox publish failed (${describe(error)}); retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      this.wakeAgain = true;
    }
  }

  /** Claims, publishes and marks one batch. Throws when anything could not be published. */
  private async publishBatch(): Promise<number> {
    let unpublished = 0;
    let firstError: unknown;
    const claimed = await this.dataSource.transaction(async (manager) => {
      const rows: PendingRow[] = await manager.query(`SELECT id, subject, payload, headers FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, [
        this.options.batchSize,
      ]);
      if (rows.length === 0) return 0;
      const results = await Promise.allSettled(rows.map((row) => this.publish(row)));
      const published = rows.filter((_row, index) => results[index].status === 'fulfilled').map((row) => row.id);
      const failed = rows.filter((_row, index) => results[index].status === 'rejected').map((row) => row.id);
      if (published.length > 0) {
        await manager.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)`, [published]);
      }
      if (failed.length > 0) {
        firstError = (results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
        await manager.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)`, [failed, describe(firstError)]);
        unpublished = failed.length;
      }
      return rows.length;
    });
    if (unpublished > 0) throw new Error(`${unpublished} event(s) not published: ${describe(firstError)}`);
    return claimed;
  }

  private publish(row: PendingRow): Promise<void> {
    const context = { correlationId: row.headers[HEADERS.correlationId], traceId: traceIdOf(row.headers[HEADERS.traceparent]), eventId: row.id };
    return withLogContext(context, () =>
      inSpan(sendSpan(row), async () => {
        const headers = natsHeaders();
        for (const [name, value] of Object.entries(row.headers)) headers.set(name, value);
        await this.nats.jetstream().publish(row.subject, JSON.stringify(row.payload), {
          msgID: row.id,
          headers,
          timeout: this.options.publishTimeoutMs,
        });
        this.logger.debug(`Published ${row.subject} ${row.id}`);
      }),
    );
  }

  private async listen(): Promise<void> {
    const listener = new Client({ connectionString: postgresUrl(this.dataSource), application_name: 'outbox-relay' });
    listener.on('notification', () => this.wake());
    listener.on('error', (error) => {
      this.logger.warn(`Outbox listener lost its connection (${error.message}); polling until it is back`);
      void listener.end().catch(() => undefined);
      this.scheduleRelisten();
    });
    try {
      await listener.connect();
      await listener.query('LISTEN outbox');
      this.listener = listener;
    } catch (error) {
      this.logger.warn(`Outbox listener could not connect (${describe(error)}); polling until it can`);
      void listener.end().catch(() => undefined);
      this.scheduleRelisten();
    }
  }

  private scheduleRelisten(): void {
    if (this.stopped) return;
    this.listener = undefined;
    const timer = setTimeout(() => void this.listen(), this.options.pollIntervalMs);
    this.timers.push(timer);
  }

  private async purge(): Promise<void> {
    await this.dataSource
      .query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [this.options.retentionHours])
      .catch((error: unknown) => this.logger.warn(`Outbox purge failed: ${describe(error)}`));
  }
}

/**
 * The publish round trip, a child of the event's PRODUCER span (whose context the row keeps), which
 * ended at the commit: the gap between them is the event's wait in the outbox. The message keeps
 * the PRODUCER span's context, so its consumers' spans are this span's siblings.
 */
function sendSpan(row: PendingRow): SpanSpec {
  return {
    name: `${row.subject} send`,
    kind: SpanKind.CLIENT,
    parent: traceContextOf((name) => row.headers[name]),
    attributes: {
      [MESSAGING_ATTRIBUTES.system]: 'nats',
      [MESSAGING_ATTRIBUTES.destination]: row.subject,
      [MESSAGING_ATTRIBUTES.messageId]: row.id,
      [MESSAGING_ATTRIBUTES.operation]: 'send',
      ...orderAttributes((row.payload as { data?: unknown } | null)?.data),
    },
  };
}

function postgresUrl(dataSource: DataSource): string {
  const { url } = dataSource.options as { url?: string };
  if (!url) throw new Error('The outbox relay needs the DataSource to be configured with a url');
  return url;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
