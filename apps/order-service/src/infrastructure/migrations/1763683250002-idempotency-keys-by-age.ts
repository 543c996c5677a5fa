import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the purge find the keys past their time to live without scanning the whole table. */
export class IdempotencyKeysByAge1763683250002 implements MigrationInterface {
  name = 'IdempotencyKeysByAge1763683250002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idempotency_keys_by_age`);
  }
}
