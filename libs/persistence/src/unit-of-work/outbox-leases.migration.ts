import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sweep claims overdue outbox rows with a lease instead of holding their row locks while it
 * publishes them: `claimed_until` is when the claim lapses, `claimed_by` the relay that holds it.
 * A relay that freezes or loses its connections mid-publish then keeps its rows only until the
 * lease runs out, and another replica publishes them. Both columns are nullable without a
 * default, so adding them rewrites nothing.
 */
export class OutboxLeases1765300000000 implements MigrationInterface {
  name = 'OutboxLeases1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN claimed_until timestamptz, ADD COLUMN claimed_by text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN claimed_by, DROP COLUMN claimed_until`);
  }
}
