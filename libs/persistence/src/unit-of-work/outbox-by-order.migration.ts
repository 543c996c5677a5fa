import { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexConcurrently } from './concurrent-index';

/**
 * The unpublished rows of one order, oldest first: the sweep claims a row only when no older row
 * of its order is still waiting, and asks this index for each row it considers. The expression is
 * `outboxOrderSql`'s. It holds unpublished rows only, so it stays small; built CONCURRENTLY, so
 * services keep writing events meanwhile.
 */
export class OutboxByOrder1765300000001 implements MigrationInterface {
  name = 'OutboxByOrder1765300000001';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexConcurrently(queryRunner, 'outbox_unpublished_by_order', `outbox ((coalesce(payload->'data'->>'orderId', '')), seq) WHERE published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_unpublished_by_order`);
  }
}
