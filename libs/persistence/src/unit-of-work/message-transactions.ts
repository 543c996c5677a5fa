import { Injectable, Optional } from '@nestjs/common';
import { EventEnvelope, eventSubject, HEADERS } from '@orders/contracts';
import { endProducerSpans, MESSAGING_ATTRIBUTES, orderAttributes, Span, startProducerSpan } from '@orders/tracing';
import { DataSource, EntityManager } from 'typeorm';

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

/** A unit of work: business writes through `manager`, events through `publish`, one commit. */
export interface Transaction {
  readonly manager: EntityManager;
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
        await unit.markPublished();
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

/**
 * One unit of work's own statements. Marking earlier events published rides along with the first
 * statement it sends anyway (the inbox row, or the outbox rows), as a data-modifying CTE: one
 * round trip fewer per transaction, and each round trip costs both processes a socket write.
 */
class UnitOfWork {
  readonly produced: Span[] = [];
  readonly rows: OutboxRow[] = [];
  transaction!: Transaction;
  private manager?: EntityManager;
  private marked = false;

  /** @param marking ids of rows published since the last unit of work, to mark in this one. */
  constructor(readonly marking: readonly string[]) {}

  on(manager: EntityManager): this {
    this.manager = manager;
    this.transaction = { manager, publish: (...events) => this.publish(events) };
    return this;
  }

  /** Runs `sql`, marking the pending ids published in the same statement the first time. */
  query<R = unknown>(sql: string, parameters: unknown[]): Promise<R[]> {
    const manager = this.began();
    if (this.marked || this.marking.length === 0) return manager.query(sql, parameters);
    this.marked = true;
    return manager.query(`WITH marked AS (${MARK_PUBLISHED.replace('$1', `$${parameters.length + 1}`)}) ${sql}`, [...parameters, this.marking]);
  }

  async markPublished(): Promise<void> {
    if (this.marked || this.marking.length === 0) return;
    this.marked = true;
    await this.began().query(MARK_PUBLISHED, [this.marking]);
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
    const values = inserted.map((_, index) => `($${index * 4 + 1}, $${index * 4 + 2}, $${index * 4 + 3}, $${index * 4 + 4})`).join(', ');
    await this.query(
      `INSERT INTO outbox (id, subject, payload, headers) VALUES ${values}`,
      inserted.flatMap((row) => [row.id, row.subject, JSON.stringify(row.payload), JSON.stringify(row.headers)]),
    );
    this.rows.push(...inserted);
  }

  private began(): EntityManager {
    if (!this.manager) throw new Error('The transaction is used before it began');
    return this.manager;
  }
}

const MARK_PUBLISHED = `UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1) AND published_at IS NULL`;
