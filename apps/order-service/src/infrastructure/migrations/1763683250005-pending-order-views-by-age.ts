import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets operators list the running sagas (PENDING orders) oldest first without scanning the
 * finished orders, which are nearly all of `order_views`. Built CONCURRENTLY, so orders keep being
 * placed meanwhile; that needs the migration outside a transaction and without the statement timeout.
 */
export class PendingOrderViewsByAge1763683250005 implements MigrationInterface {
  name = 'PendingOrderViewsByAge1763683250005';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET statement_timeout = 0`);
    try {
      // A build that failed half-way leaves an invalid index behind, which this run replaces.
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS order_views_pending_by_age`);
      await queryRunner.query(`CREATE INDEX CONCURRENTLY order_views_pending_by_age ON order_views (created_at, order_id) WHERE status = 'PENDING'`);
    } finally {
      await queryRunner.query(`RESET statement_timeout`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS order_views_pending_by_age`);
  }
}
