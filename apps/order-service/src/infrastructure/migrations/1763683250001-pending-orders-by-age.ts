import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the saga deadline watchdog find the oldest PENDING orders without scanning finished ones. */
export class PendingOrdersByAge1763683250001 implements MigrationInterface {
  name = 'PendingOrdersByAge1763683250001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX orders_pending_by_age ON orders (created_at) WHERE status = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX orders_pending_by_age`);
  }
}
