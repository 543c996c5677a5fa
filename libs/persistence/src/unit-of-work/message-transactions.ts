import { Injectable, Optional } from '@nestjs/common';
import { EventEnvelope, eventSubject, HEADERS } from '@orders/contracts';
import { endProducerSpans, MESSAGING_ATTRIBUTES, orderAttributes, Span, startProducerSpan } from '@orders/tracing';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxMessageEntity } from './outbox-message.entity';

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
    // The events' PRODUCER spans end at the commit: only from then on may they be sent.
    const produced: Span[] = [];
    const rows: OutboxRow[] = [];
    let marked: string[] = [];
    try {
      const result = await this.dataSource.transaction(async (manager) => {
        const done = await work(transactionOn(manager, produced, rows));
        marked = await this.markPublished(manager);
        return done;
      });
      endProducerSpans(produced);
      if (rows.length > 0) this.outbox?.dispatch(rows);
      return result;
    } catch (error) {
      if (marked.length > 0) this.outbox?.returnPublished(marked);
      endProducerSpans(produced, { error });
      throw error;
    }
  }

  /**
   * Runs `work` unless `consumer` already processed `event`. Returns false for a
   * duplicate. Concurrent duplicates serialize on the inbox primary key.
   */
  processOnce(event: EventEnvelope, consumer: string, work: (tx: Transaction) => Promise<void>): Promise<boolean> {
    return this.run(async (tx) => {
      const inserted: unknown[] = await tx.manager.query(`INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`, [
        consumer,
        event.id,
      ]);
      if (inserted.length === 0) return false;
      await work(tx);
      return true;
    });
  }

  private async markPublished(manager: EntityManager): Promise<string[]> {
    const ids = this.outbox?.takePublished() ?? [];
    if (ids.length > 0) await manager.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1) AND published_at IS NULL`, [ids]);
    return ids;
  }

  /** Whether `consumer` already processed `event`, for handlers that call providers before their transaction. */
  async wasProcessed(event: EventEnvelope, consumer: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2`, [consumer, event.id]);
    return rows.length > 0;
  }
}

function transactionOn(manager: EntityManager, produced: Span[], rows: OutboxRow[]): Transaction {
  return {
    manager,
    async publish(...events) {
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
        produced.push(span);
        return { id: event.id, subject, payload: event, headers: { [HEADERS.correlationId]: event.correlationId, ...headers } };
      });
      await manager.insert(OutboxMessageEntity, inserted);
      rows.push(...inserted);
    },
  };
}
