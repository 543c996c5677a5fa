import { Injectable } from '@nestjs/common';
import { Transaction } from '@orders/messaging';
import { isUniqueViolation } from '@orders/persistence';
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

  async insert(tx: Transaction, record: IdempotencyRecord): Promise<void> {
    try {
      await tx.manager.insert(IdempotencyKeyEntity, record);
    } catch (error) {
      if (isUniqueViolation(error, IDEMPOTENCY_KEY_CONSTRAINT)) throw new IdempotencyKeyConflict(record.customerId, record.key);
      throw error;
    }
  }
}
