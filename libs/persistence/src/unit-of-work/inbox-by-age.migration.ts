import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets the inbox purge find the rows past their retention, oldest first, without scanning the
 * whole table. Built CONCURRENTLY, outside a transaction, so consumers keep inserting meanwhile,
 * and without the statement timeout, as an inbox kept since its start takes a while to index.
 */
export class InboxByAge1765200000000 implements MigrationInterface {
  name = 'InboxByAge1765200000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET statement_timeout = 0`);
    try {
      // A build that failed half-way leaves an invalid index behind, which the next run replaces.
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS inbox_processed_at`);
      await queryRunner.query(`CREATE INDEX CONCURRENTLY inbox_processed_at ON inbox (processed_at)`);
    } finally {
      await queryRunner.query(`RESET statement_timeout`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS inbox_processed_at`);
  }
}
