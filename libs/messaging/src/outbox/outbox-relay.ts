import { headers as natsHeaders } from '@nats-io/transport-node';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { loadConfig } from '@orders/config';
import { HEADERS } from '@orders/contracts';
import { OutboxDispatch, outboxOrderOf, outboxOrderSql, OutboxRow } from '@orders/persistence';
import { inSpan, MESSAGING_ATTRIBUTES, orderAttributes, SpanKind, SpanSpec, traceContextOf } from '@orders/tracing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { traceIdOf, withLogContext } from '../logging/log-context';
import { NatsConnectionManager } from '../nats/nats-connection';
import { retryThroughNatsRestart } from '../nats/nats-restart';
import { THIS_REPLICA } from '../nats/replica';

export interface OutboxRelayOptions {
  batchSize: number;
  /** How often the sweep looks for rows that were not published at their commit (a crash, NATS down). */
  pollIntervalMs: number;
  /** A row younger than this may still be on its way out from the process that committed it, so the sweep leaves it. */
  sweepAfterMs: number;
  /**
   * Rows published at their commit are marked by the next unit of work this process runs, or,
   * when none comes within this long, by an UPDATE of their own.
   */
  markIntervalMs: number;
  publishTimeoutMs: number;
  /**
   * How long a sweep's claim on its rows lasts. No lock is held while they are published: a relay
   * that freezes or loses its connections keeps its rows only this long, then another replica
   * publishes them. A relay starts no publish once its lease has run out.
   */
  leaseMs: number;
  /** Published rows are kept this long for inspection, then purged. */
  retentionHours: number;
  /**
   * Inbox rows are kept this long, then purged. The inbox is what makes a redelivered message
   * harmless, and a message whose row is gone would be handled a second time, so this stays far
   * longer than any message can come back: the consumers' ack wait, their deliveries and
   * `CONSUMER_PRECEDING_EVENT_WAIT_MS` add up to minutes, and a service that is down longer gets
   * its unacknowledged messages again when it is back.
   */
  inboxRetentionHours: number;
  /**
   * Recorded failed deliveries (`delivery_failures`) are kept this long, then purged: those of a
   * message that failed and later succeeded, which nothing else deletes. Far longer than a message
   * keeps failing before it is dead-lettered, which takes its rows along.
   */
  deliveryFailureRetentionHours: number;
  /**
   * Rows one purge statement deletes at most. Each batch is a short statement of its own: a
   * single DELETE of everything past its retention outlasts the statement timeout once much has
   * piled up, and then never completes.
   */
  purgeBatchSize: number;
}

export const DEFAULT_OUTBOX_RELAY_OPTIONS: OutboxRelayOptions = {
  batchSize: 100,
  pollIntervalMs: 1_000,
  sweepAfterMs: 5_000,
  markIntervalMs: 1_000,
  publishTimeoutMs: 5_000,
  leaseMs: 30_000,
  retentionHours: 24,
  inboxRetentionHours: 7 * 24,
  deliveryFailureRetentionHours: 24,
  purgeBatchSize: 1_000,
};

/** The least INBOX_RETENTION_HOURS takes: a day outlasts any redelivery to a service that is running. */
const MIN_INBOX_RETENTION_HOURS = 24;

/** INBOX_RETENTION_HOURS, so a deployment keeps its inbox as long as its longest outage might last. */
export const inboxRetentionConfigSchema = z.object({
  INBOX_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(MIN_INBOX_RETENTION_HOURS, `must be at least ${MIN_INBOX_RETENTION_HOURS}: a message redelivered after its inbox row is purged is handled again`)
    .default(DEFAULT_OUTBOX_RELAY_OPTIONS.inboxRetentionHours),
});

export function inboxRetentionEnvironment(env: NodeJS.ProcessEnv = process.env): Pick<OutboxRelayOptions, 'inboxRetentionHours'> {
  return { inboxRetentionHours: loadConfig(inboxRetentionConfigSchema, env).INBOX_RETENTION_HOURS };
}

const MAX_BACKOFF_MS = 5_000;
const PURGE_INTERVAL_MS = 10 * 60_000;

/**
 * Claims the next overdue rows for `$4` until `$3` seconds from now, oldest first: `$1` rows at
 * most, unpublished for longer than `$2` seconds, and not claimed by a relay whose lease still
 * runs. One short statement, committed at once: no lock outlives it.
 *
 * A row is only claimed together with every older unpublished row of its order, so no two relays
 * publish one order's rows at once, and its rows reach the stream in their order: `next_in_order`
 * drops the rows behind an older one that this claim did not lock itself, because another relay
 * holds it (or is claiming it at this very moment, its claim not committed yet: SKIP LOCKED passes
 * over it), or it is still on its way out from the process that committed it. Rows dropped so
 * still take a place in the batch, so a relay that hangs can hold up others until its lease lapses.
 */
const CLAIM_OVERDUE_ROWS = `
  WITH claimable AS (
    SELECT id, seq, ${outboxOrderSql('outbox')} AS order_key FROM outbox
     WHERE published_at IS NULL
       AND created_at < now() - make_interval(secs => $2)
       AND (claimed_until IS NULL OR claimed_until < now())
     ORDER BY seq LIMIT $1
     FOR UPDATE SKIP LOCKED
  ), next_in_order AS (
    SELECT id FROM claimable
     WHERE NOT EXISTS (
       SELECT 1 FROM outbox older
        WHERE older.published_at IS NULL AND ${outboxOrderSql('older')} = claimable.order_key AND older.seq < claimable.seq
          AND older.id NOT IN (SELECT id FROM claimable))
  ), claimed AS (
    UPDATE outbox SET claimed_until = now() + make_interval(secs => $3), claimed_by = $4, attempts = attempts + 1
      FROM next_in_order WHERE outbox.id = next_in_order.id
    RETURNING outbox.seq, outbox.id, outbox.subject, outbox.payload, outbox.headers
  )
  SELECT id, subject, payload, headers FROM claimed ORDER BY seq`;

/** What publishing one order's claimed rows came to. */
interface OrderPublished {
  published: string[];
  failed?: { id: string; error: unknown };
}

/** How many rows each statement of one purge deleted, in order. */
export interface PurgedRows {
  outbox: number[];
  inbox: number[];
  deliveryFailures: number[];
}

/**
 * Publishes outbox rows to JetStream, with Nats-Msg-Id = event id so that publishing a row
 * twice stores it once.
 *
 * - At once: the process that committed a transaction publishes its rows right after the commit
 *   (`dispatch`). No row lock is held meanwhile, and no commit waits for it. The next unit of work
 *   of the process marks them published inside its own transaction (`takePublished`), so marking
 *   costs no commit of its own; an idle process marks them with one UPDATE after `markIntervalMs`.
 * - The sweep: every `pollIntervalMs` it publishes what is still unpublished after `sweepAfterMs`,
 *   oldest first: rows whose process crashed before publishing or marking them, or that could not
 *   be published while NATS was unreachable. It claims them with a lease of `leaseMs` in one short
 *   statement (CLAIM_OVERDUE_ROWS), publishes each order's rows in their order, stopping at the
 *   first that fails, and marks what went out. Replicas never sweep the same row at once, and a
 *   relay that hangs keeps its rows only until its lease runs out.
 * - One order's events reach the stream in their order from this process: an event waits for the
 *   dispatch of an earlier one of its order, and while one of them waits for the sweep, so do the
 *   later ones.
 * - The purge: every 10 minutes it deletes the rows published longer ago than `retentionHours`,
 *   the inbox rows older than `inboxRetentionHours` and the recorded failed deliveries older than
 *   `deliveryFailureRetentionHours`.
 */
@Injectable()
export class OutboxRelay extends OutboxDispatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timers: NodeJS.Timeout[] = [];
  private draining?: Promise<void>;
  private purging?: Promise<PurgedRows>;
  private wakeAgain = false;
  private stopped = false;
  private failures = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private published: string[] = [];
  private marking?: NodeJS.Timeout;
  /** Names this relay's claims, so it releases only its own. */
  private readonly relayId = `${THIS_REPLICA}:${randomUUID()}`;
  /** Per order, the dispatch of its events now in flight: the next event of the order waits for it. */
  private readonly dispatching = new Map<string, Promise<void>>();
  /** Per order, the latest event this process left to the sweep: until it is published, later events of the order wait there too. */
  private readonly leftToSweep = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsConnectionManager,
    private readonly options: OutboxRelayOptions = DEFAULT_OUTBOX_RELAY_OPTIONS,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // As the transport does: a service starting while JetStream is unavailable waits for it rather than exiting.
    await retryThroughNatsRestart(this.logger, 'Setting up the streams').execute(() => this.nats.ensureStreams());
    this.timers.push(setInterval(() => this.wake(), this.options.pollIntervalMs));
    this.timers.push(setInterval(() => void this.purge(), PURGE_INTERVAL_MS));
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    await Promise.allSettled([...this.inFlight]);
    await this.markPublished();
    await this.draining;
    await this.purging;
  }

  /**
   * Publishes the rows a transaction just committed, in their order, once the dispatch of earlier
   * events of their orders is done; what fails is left to the sweep, and so is every row of an
   * order with an event waiting there.
   */
  dispatch(rows: readonly OutboxRow[]): void {
    if (this.stopped) return;
    const orders = [...new Set(rows.map(outboxOrderOf))];
    const earlier = orders.flatMap((order) => this.dispatching.get(order) ?? []);
    const publishing = (async () => {
      await Promise.all(earlier);
      for (const [index, row] of rows.entries()) {
        if (!(await this.publishUnlessHeldBack(row))) {
          this.leaveToSweep(rows.slice(index));
          return;
        }
        this.awaitMarking([row.id]);
      }
    })();
    for (const order of orders) this.dispatching.set(order, publishing);
    this.inFlight.add(publishing);
    void publishing.finally(() => {
      this.inFlight.delete(publishing);
      for (const order of orders) if (this.dispatching.get(order) === publishing) this.dispatching.delete(order);
    });
  }

  private async publishUnlessHeldBack(row: OutboxRow): Promise<boolean> {
    if (this.leftToSweep.has(outboxOrderOf(row))) return false;
    try {
      await this.publish(row);
      return true;
    } catch (error) {
      this.logger.debug(`Leaving ${row.subject} ${row.id} to the sweep: ${describe(error)}`);
      return false;
    }
  }

  private leaveToSweep(rows: readonly OutboxRow[]): void {
    for (const row of rows) this.leftToSweep.set(outboxOrderOf(row), row.id);
  }

  /** Lets an order's events go out at their commit again once the latest one left to the sweep is published (and with it every earlier one). */
  private async releaseSweptOrders(): Promise<void> {
    if (this.leftToSweep.size === 0) return;
    const swept: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM unnest($1::uuid[]) AS left_to_sweep(id) WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.id = left_to_sweep.id AND published_at IS NULL)`,
      [[...this.leftToSweep.values()]],
    );
    const sweptIds = new Set(swept.map((row) => row.id));
    for (const [order, id] of this.leftToSweep) if (sweptIds.has(id)) this.leftToSweep.delete(order);
  }

  takePublished(): string[] {
    const ids = this.published;
    this.published = [];
    return ids;
  }

  returnPublished(ids: readonly string[]): void {
    this.awaitMarking(ids);
  }

  /** Keeps published ids for the next unit of work to mark, and for an UPDATE of their own if none comes. */
  private awaitMarking(ids: readonly string[]): void {
    this.published.push(...ids);
    this.marking ??= setTimeout(() => void this.markPublished(), this.options.markIntervalMs);
  }

  /** Sweeps everything overdue now; one sweep at a time, re-run if woken meanwhile. */
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

  /** A row left unmarked (the UPDATE failed, or the process stopped first) is published again by the sweep and stored once. */
  private async markPublished(): Promise<void> {
    clearTimeout(this.marking);
    this.marking = undefined;
    const ids = this.takePublished();
    if (ids.length === 0) return;
    await this.dataSource
      .query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1) AND published_at IS NULL`, [ids])
      .catch((error: unknown) => this.logger.warn(`Could not mark ${ids.length} published outbox row(s); the sweep publishes them again: ${describe(error)}`));
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.sweepBatch()) === this.options.batchSize);
      await this.releaseSweptOrders();
      this.failures = 0;
    } catch (error) {
      this.failures++;
      const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.failures);
      this.logger.warn(`Outbox publish failed (${describe(error)}); retrying in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      this.wakeAgain = true;
    }
  }

  /**
   * Claims one batch of overdue rows, publishes each order's rows in their order and marks what
   * went out; releases the rest at once, for the next sweep of any replica. Throws when a row
   * could not be published.
   */
  private async sweepBatch(): Promise<number> {
    const leaseEnds = performance.now() + this.options.leaseMs;
    const claimed: OutboxRow[] = await this.dataSource.query(CLAIM_OVERDUE_ROWS, [
      this.options.batchSize,
      this.options.sweepAfterMs / 1000,
      this.options.leaseMs / 1000,
      this.relayId,
    ]);
    if (claimed.length === 0) return 0;
    const outcomes = await Promise.all(rowsByOrder(claimed).map((rows) => this.publishInOrder(rows, leaseEnds)));
    const published = new Set(outcomes.flatMap((outcome) => outcome.published));
    const failures = outcomes.flatMap((outcome) => outcome.failed ?? []);
    if (published.size > 0) {
      await this.dataSource.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1) AND published_at IS NULL`, [[...published]]);
    }
    const left = claimed.filter((row) => !published.has(row.id)).map((row) => row.id);
    if (left.length > 0) {
      const error = failures.length > 0 ? describe(failures[0].error) : null;
      await this.dataSource.query(
        `UPDATE outbox SET claimed_until = NULL, last_error = CASE WHEN id = ANY($3) THEN $4 ELSE last_error END
          WHERE id = ANY($1) AND claimed_by = $2 AND published_at IS NULL`,
        [left, this.relayId, failures.map((failure) => failure.id), error],
      );
    }
    if (failures.length > 0) throw new Error(`${left.length} event(s) not published: ${describe(failures[0].error)}`);
    return claimed.length;
  }

  /** Publishes one order's claimed rows in their order, up to the first that fails; none is started once the lease has run out. */
  private async publishInOrder(rows: readonly OutboxRow[], leaseEnds: number): Promise<OrderPublished> {
    const published: string[] = [];
    for (const row of rows) {
      if (performance.now() >= leaseEnds) break;
      try {
        await this.publish(row);
      } catch (error) {
        return { published, failed: { id: row.id, error } };
      }
      published.push(row.id);
    }
    return { published };
  }

  private publish(row: OutboxRow): Promise<void> {
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

  /** Deletes what is past its retention. A purge still running when the next one is due goes on instead. */
  purge(): Promise<PurgedRows> {
    this.purging ??= this.purgeExpired().finally(() => (this.purging = undefined));
    return this.purging;
  }

  private async purgeExpired(): Promise<PurgedRows> {
    const outbox = await this.purgeInBatches(
      'published outbox',
      `DELETE FROM outbox WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM outbox WHERE published_at < now() - make_interval(hours => $1) ORDER BY published_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      this.options.retentionHours,
    );
    const inbox = await this.purgeInBatches(
      'inbox',
      `DELETE FROM inbox WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM inbox WHERE processed_at < now() - make_interval(hours => $1) ORDER BY processed_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      this.options.inboxRetentionHours,
    );
    const deliveryFailures = await this.purgeInBatches(
      'delivery failure',
      `DELETE FROM delivery_failures WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM delivery_failures WHERE failed_at < now() - make_interval(hours => $1) ORDER BY failed_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      this.options.deliveryFailureRetentionHours,
    );
    return { outbox, inbox, deliveryFailures };
  }

  /**
   * Runs `deleteBatch` (retention in hours as $1, batch size as $2) until a batch comes back short.
   * SKIP LOCKED: replicas purging at the same time take different rows instead of waiting for each other.
   * The batch's rows are named by ctid in an array: with `IN (SELECT …)` the planner joins the batch
   * against a scan of the whole table, however short the batch. The rows stay locked, so their ctids hold.
   */
  private async purgeInBatches(rows: string, deleteBatch: string, retentionHours: number): Promise<number[]> {
    const deleted: number[] = [];
    try {
      do {
        const [, count] = await this.dataSource.query<[unknown[], number]>(deleteBatch, [retentionHours, this.options.purgeBatchSize]);
        deleted.push(count);
      } while (deleted.at(-1) === this.options.purgeBatchSize && !this.stopped);
    } catch (error) {
      this.logger.warn(`Purging ${rows} rows failed, the next purge goes on: ${describe(error)}`);
    }
    const total = deleted.reduce((sum, count) => sum + count, 0);
    if (total > 0) this.logger.log(`Purged ${total} ${rows} row(s) older than ${retentionHours} h`);
    return deleted;
  }
}

/**
 * The publish round trip, a child of the event's PRODUCER span (whose context the row keeps), which
 * ended at the commit: the gap between them is the event's wait in the outbox. The message keeps
 * the PRODUCER span's context, so its consumers' spans are this span's siblings.
 */
function sendSpan(row: OutboxRow): SpanSpec {
  return {
    name: `${row.subject} send`,
    kind: SpanKind.CLIENT,
    parent: traceContextOf((name) => row.headers[name]),
    attributes: {
      [MESSAGING_ATTRIBUTES.system]: 'nats',
      [MESSAGING_ATTRIBUTES.destination]: row.subject,
      [MESSAGING_ATTRIBUTES.messageId]: row.id,
      [MESSAGING_ATTRIBUTES.operation]: 'send',
      ...orderAttributes(row.payload.data),
    },
  };
}

/** Each order's rows, in the order they came. */
function rowsByOrder(rows: readonly OutboxRow[]): OutboxRow[][] {
  const byOrder = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const order = outboxOrderOf(row);
    const rowsOfOrder = byOrder.get(order);
    if (rowsOfOrder) rowsOfOrder.push(row);
    else byOrder.set(order, [row]);
  }
  return [...byOrder.values()];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
