import { Injectable, Optional } from '@nestjs/common';
import { EventEnvelope, eventSubject, HEADERS } from '@orders/contracts';
import { endProducerSpans, MESSAGING_ATTRIBUTES, orderAttributes, Span, startProducerSpan } from '@orders/tracing';
import { PoolClient } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** An event's outbox row as its transaction committed it. */
export interface OutboxRow {
  readonly id: string;
  readonly subject: string;
  readonly payload: EventEnvelope;
  readonly headers: Record<string, string>;
}

/**
 * Sends committed outbox rows on at once, from the process that committed them. The rows stay the
 * record: whatever this does not get out (a crash, NATS down) the relay's sweep publishes later.
 */
export abstract class OutboxDispatch {
  abstract dispatch(rows: readonly OutboxRow[]): void;
  /**
   * The ids of rows published since they were last handed out, for the next unit of work to mark
   * published in its own transaction: marking then costs no commit of its own.
   */
  abstract takePublished(): string[];
  /** Gives back ids whose marking rolled back with its unit of work. */
  abstract returnPublished(ids: readonly string[]): void;
}

/**
 * A unit of work: business reads and writes, events through `publish`, one commit. A write
 * whose result is not needed waits to be sent with the next statement: the outbox rows of the
 * events it causes ride along with it as a data-modifying CTE, so a step that writes one row and
 * publishes one event sends one statement for both.
 */
export interface Transaction {
  /** Runs `sql` now and resolves with its rows; a write still waiting is sent before it, so it sees that write. */
  query<R = unknown>(sql: string, parameters?: unknown[]): Promise<R[]>;
  /**
   * A write sent later: with the outbox rows of the next `publish`, or before the next statement,
   * or at the commit. Its failure surfaces there, in the same transaction, so a write whose
   * failure the caller translates (a unique key, say) goes through `query` instead.
   */
  write(sql: string, parameters: unknown[]): Promise<void>;
  publish(...events: EventEnvelope[]): Promise<void>;
}

/**
 * The only way services change state: business rows, outbox rows and (for message
 * handlers) the inbox row commit or roll back together, so an event is published
 * if and only if its change happened, and a redelivered event has no second effect.
 */
@Injectable()
export class MessageTransactions {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly outbox?: OutboxDispatch,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.unitOfWork((unit) => work(unit.transaction));
  }

  /**
   * Runs `work` unless `consumer` already processed `event`. Returns false for a
   * duplicate. Concurrent duplicates serialize on the inbox primary key.
   */
  processOnce(event: EventEnvelope, consumer: string, work: (tx: Transaction) => Promise<void>): Promise<boolean> {
    return this.unitOfWork(async (unit) => {
      const inserted: unknown[] = await unit.query(`INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`, [consumer, event.id]);
      if (inserted.length === 0) return false;
      await work(unit.transaction);
      return true;
    });
  }

  private async unitOfWork<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    // The events' PRODUCER spans end at the commit: only from then on may they be sent.
    const unit = new UnitOfWork(this.outbox?.takePublished() ?? []);
    try {
      const result = await this.dataSource.transaction(async (manager) => {
        const done = await work(unit.on(manager));
        await unit.finish();
        return done;
      });
      endProducerSpans(unit.produced);
      if (unit.rows.length > 0) this.outbox?.dispatch(unit.rows);
      return result;
    } catch (error) {
      if (unit.marking.length > 0) this.outbox?.returnPublished(unit.marking);
      endProducerSpans(unit.produced, { error });
      throw error;
    }
  }

  /** Whether `consumer` already processed `event`, for handlers that call providers before their transaction. */
  async wasProcessed(event: EventEnvelope, consumer: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2`, [consumer, event.id]);
    return rows.length > 0;
  }
}

/** One SQL statement and its parameters ($1…). */
interface Statement {
  sql: string;
  parameters: unknown[];
}

/** A data-modifying CTE to send with another statement, numbering its parameters from `first`. */
type Rider = (first: number) => Statement;

/**
 * One unit of work's own statements. What the unit writes without needing an answer rides along
 * with a statement it sends anyway, as a data-modifying CTE: marking earlier events published
 * rides on its first statement, and the outbox rows of its events on the write waiting to be
 * sent. Two business writes never share a statement (they could touch the same row, and only one
 * change to a row survives a statement); the outbox is written by nothing else.
 */
class UnitOfWork {
  readonly produced: Span[] = [];
  readonly rows: OutboxRow[] = [];
  transaction!: Transaction;
  private manager?: EntityManager;
  private marked = false;
  private waitingWrite?: Statement;

  /** @param marking ids of rows published since the last unit of work, to mark in this one. */
  constructor(readonly marking: readonly string[]) {}

  on(manager: EntityManager): this {
    this.manager = manager;
    this.transaction = {
      query: (sql, parameters = []) => this.query(sql, parameters),
      write: (sql, parameters) => this.write({ sql, parameters }),
      publish: (...events) => this.publish(events),
    };
    return this;
  }

  async query<R = unknown>(sql: string, parameters: unknown[]): Promise<R[]> {
    await this.sendWaitingWrite();
    return this.send<R>({ sql, parameters });
  }

  /** Sends what is still waiting, before the commit. */
  async finish(): Promise<void> {
    await this.sendWaitingWrite();
    if (this.marked || this.marking.length === 0) return;
    this.marked = true;
    await this.send(markPublished(this.marking)(1));
  }

  private async write(statement: Statement): Promise<void> {
    await this.sendWaitingWrite();
    this.waitingWrite = statement;
  }

  private async sendWaitingWrite(riders: Rider[] = []): Promise<boolean> {
    const write = this.waitingWrite;
    if (!write) return false;
    this.waitingWrite = undefined;
    await this.send(write, riders);
    return true;
  }

  /** Sends `statement` with `riders`, and the marking of published rows if no statement carried it yet. */
  private async send<R = unknown>(statement: Statement, riders: Rider[] = []): Promise<R[]> {
    const all = this.marked || this.marking.length === 0 ? riders : [...riders, markPublished(this.marking)];
    this.marked = true;
    const { sql, parameters } = withRiders(statement, all);
    // Straight to the transaction's own connection: TypeORM's query wrapper doubled the CPU a statement costs here.
    const connection: PoolClient = await this.began().connect();
    return (await connection.query(sql, parameters)).rows;
  }

  private async publish(events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    const inserted = events.map((event): OutboxRow => {
      const subject = eventSubject(event.type, event.version);
      // The trace is captured now, while the work that caused the event is the active span; it is sent after the commit.
      const { span, headers } = startProducerSpan(`${event.type} publish`, {
        [MESSAGING_ATTRIBUTES.system]: 'nats',
        [MESSAGING_ATTRIBUTES.destination]: subject,
        [MESSAGING_ATTRIBUTES.messageId]: event.id,
        [MESSAGING_ATTRIBUTES.operation]: 'create',
        ...orderAttributes(event.data),
      });
      this.produced.push(span);
      return { id: event.id, subject, payload: event, headers: { [HEADERS.correlationId]: event.correlationId, ...headers } };
    });
    const insert = insertOutboxRows(inserted);
    if (!(await this.sendWaitingWrite([insert]))) await this.send(insert(1));
    this.rows.push(...inserted);
  }

  private began(): QueryRunner {
    if (!this.manager?.queryRunner) throw new Error('The transaction is used before it began');
    return this.manager.queryRunner;
  }
}

function insertOutboxRows(rows: readonly OutboxRow[]): Rider {
  return (first) => ({
    sql: `INSERT INTO outbox (id, subject, payload, headers) VALUES ${rows.map((_, index) => `(${placeholders(first + index * 4, 4)})`).join(', ')}`,
    parameters: rows.flatMap((row) => [row.id, row.subject, JSON.stringify(row.payload), JSON.stringify(row.headers)]),
  });
}

function markPublished(ids: readonly string[]): Rider {
  return (first) => ({ sql: `UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($${first}) AND published_at IS NULL`, parameters: [ids] });
}

/** `statement` with each rider as a data-modifying CTE ahead of it (merged into its own WITH list, if it has one). */
function withRiders(statement: Statement, riders: readonly Rider[]): Statement {
  if (riders.length === 0) return statement;
  const parameters = [...statement.parameters];
  const ctes = riders.map((rider, index) => {
    const cte = rider(parameters.length + 1);
    parameters.push(...cte.parameters);
    return `rider_${index} AS (${cte.sql})`;
  });
  const ownWith = /^\s*WITH\s+/i.exec(statement.sql);
  const sql = ownWith ? `WITH ${ctes.join(', ')}, ${statement.sql.slice(ownWith[0].length)}` : `WITH ${ctes.join(', ')} ${statement.sql}`;
  return { sql, parameters };
}

function placeholders(first: number, count: number): string {
  return Array.from({ length: count }, (_, index) => `$${first + index}`).join(', ');
}
