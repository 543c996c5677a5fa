import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every failed delivery of a message to one of the service's consumers, written only on failure
 * (libs/messaging's DeliveryFailures), so that its dead letter shows each attempt, whichever
 * replica made it. Rows of a dead-lettered message leave with it; those of a message that later
 * succeeded are purged by age (`delivery_failures_by_age`).
 */
export class DeliveryFailures1765500000000 implements MigrationInterface {
  name = 'DeliveryFailures1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery_failures (
        consumer varchar(255) NOT NULL,
        stream varchar(255) NOT NULL,
        stream_sequence bigint NOT NULL,
        attempt integer NOT NULL,
        failed_at timestamptz NOT NULL,
        replica varchar(255) NOT NULL,
        error text NOT NULL,
        PRIMARY KEY (consumer, stream, stream_sequence, attempt)
      )`);
    await queryRunner.query(`CREATE INDEX delivery_failures_by_age ON delivery_failures (failed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery_failures`);
  }
}
