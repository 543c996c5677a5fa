import { Injectable } from '@nestjs/common';
import { isUniqueViolation, Transaction } from '@orders/persistence';
import { DataSource } from 'typeorm';
import { IdempotencyKeyConflict, IdempotencyKeyRepository, IdempotencyRecord } from '../application/idempotency-key.repository';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** Named in the migration; a violation of it means the customer already used the key. */
export const IDEMPOTENCY_KEY_CONSTRAINT = 'idempotency_keys_pkey';

@Injectable()
export class TypeOrmIdempotencyKeyRepository extends IdempotencyKeyRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async find(customerId: string, key: string): Promise<IdempotencyRecord | null> {
    const row = await this.dataSource.getRepository(IdempotencyKeyEntity).findOne({ where: { customerId, key } });
    return row ? { customerId: row.customerId, key: row.key, requestHash: row.requestHash, orderId: row.orderId } : null;
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
      await tx.manager.insert(IdempotencyKeyEntity, record);
    } catch (error) {
      if (isUniqueViolation(error, IDEMPOTENCY_KEY_CONSTRAINT)) throw new IdempotencyKeyConflict(record.customerId, record.key);
      throw error;
    }
  }
}
