import { DataSource } from 'typeorm';
import { DeliveryFailure, MAX_ERROR_LENGTH, MAX_HISTORY_ENTRIES } from '../dead-letters/dead-letters';

/** One message as one consumer sees it. */
export interface DeliveryOf {
  consumer: string;
  stream: string;
  streamSequence: number;
}

/**
 * The failed deliveries of the messages a service's consumers are still retrying, in its own
 * database (`delivery_failures`), so that every replica adds to one history and the one that
 * dead-letters a message can attach all of it. Written only on failure; the rows leave with the
 * dead letter, and those of messages that later succeeded are purged by age (OutboxRelay).
 */
export class DeliveryFailures {
  constructor(private readonly database: DataSource) {}

  async record(delivery: DeliveryOf, failure: DeliveryFailure): Promise<void> {
    await this.database.query(
      `INSERT INTO delivery_failures (consumer, stream, stream_sequence, attempt, failed_at, replica, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [delivery.consumer, delivery.stream, delivery.streamSequence, failure.attempt, failure.failedAt, failure.replica, failure.error.slice(0, MAX_ERROR_LENGTH)],
    );
  }

  /** The latest failures, oldest first. */
  async of(delivery: DeliveryOf): Promise<DeliveryFailure[]> {
    const rows = await this.database.query<Array<{ attempt: number; failed_at: Date; replica: string; error: string }>>(
      `SELECT attempt, failed_at, replica, error FROM delivery_failures
       WHERE consumer = $1 AND stream = $2 AND stream_sequence = $3 ORDER BY attempt DESC LIMIT $4`,
      [delivery.consumer, delivery.stream, delivery.streamSequence, MAX_HISTORY_ENTRIES],
    );
    return rows.reverse().map((row) => ({ attempt: row.attempt, failedAt: row.failed_at.toISOString(), replica: row.replica, error: row.error }));
  }

  async forget(delivery: DeliveryOf): Promise<void> {
    await this.database.query(`DELETE FROM delivery_failures WHERE consumer = $1 AND stream = $2 AND stream_sequence = $3`, [
      delivery.consumer,
      delivery.stream,
      delivery.streamSequence,
    ]);
  }
}
