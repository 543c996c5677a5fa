import { createIndexConcurrently } from '@orders/persistence';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets operators list the running sagas (PENDING orders) oldest first without scanning the
 * finished orders, which are nearly all of `order_views`. Built CONCURRENTLY, so orders keep being
 * placed meanwhile; that needs the migration outside a transaction.
 */
export class PendingOrderViewsByAge1763683250005 implements MigrationInterface {
  name = 'PendingOrderViewsByAge1763683250005';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexConcurrently(queryRunner, 'order_views_pending_by_age', `order_views (created_at, order_id) WHERE status = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS order_views_pending_by_age`);
  }
}
