import { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexConcurrently } from './concurrent-index';

/**
 * Lets the inbox purge find the rows past their retention, oldest first, without scanning the
 * whole table. Built CONCURRENTLY, so consumers keep inserting meanwhile.
 */
export class InboxByAge1765200000000 implements MigrationInterface {
  name = 'InboxByAge1765200000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexConcurrently(queryRunner, 'inbox_processed_at', 'inbox (processed_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS inbox_processed_at`);
  }
}
