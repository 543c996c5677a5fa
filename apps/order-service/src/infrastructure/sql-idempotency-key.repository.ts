import { Injectable } from '@nestjs/common';
import { isUniqueViolation, Transaction } from '@orders/persistence';
import { DataSource } from 'typeorm';
import { IdempotencyKeyConflict, IdempotencyKeyRepository, IdempotencyRecord } from '../application/idempotency-key.repository';

/** Named in the migration; a violation of it means the customer already used the key. */
const IDEMPOTENCY_KEY_CONSTRAINT = 'idempotency_keys_pkey';

/** Idempotency-Keys in plain SQL: the lookup runs before every placement, the insert inside it. */
@Injectable()
export class SqlIdempotencyKeyRepository extends IdempotencyKeyRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async find(customerId: string, key: string): Promise<IdempotencyRecord | null> {
    const rows: Array<{ request_hash: string; order_id: string }> = await this.dataSource.query(
      `SELECT request_hash, order_id FROM idempotency_keys WHERE customer_id = $1 AND key = $2`,
      [customerId, key],
    );
    return rows.length > 0 ? { customerId, key, requestHash: rows[0].request_hash, orderId: rows[0].order_id } : null;
  }

  async deleteRecordedBefore(cutoff: Date, limit: number): Promise<number> {
    // SKIP LOCKED: replicas purging at the same time take different keys instead of waiting for each other.
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM idempotency_keys WHERE (customer_id, key) IN (
         SELECT customer_id, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, limit],
    );
    return deleted;
  }

  async insert(tx: Transaction, record: IdempotencyRecord): Promise<void> {
    try {
      await tx.query(`INSERT INTO idempotency_keys (customer_id, key, request_hash, order_id) VALUES ($1, $2, $3, $4)`, [
        record.customerId,
        record.key,
        record.requestHash,
        record.orderId,
      ]);
    } catch (error) {
      if (isUniqueViolation(error, IDEMPOTENCY_KEY_CONSTRAINT)) throw new IdempotencyKeyConflict(record.customerId, record.key);
      throw error;
    }
  }
}
