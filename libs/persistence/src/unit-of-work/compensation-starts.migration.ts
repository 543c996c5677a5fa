import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the replicas of a service count the compensation handlers they start, so the lane's rate
 * is one limit for all of them (libs/messaging's CompensationLane). The layout is
 * rate-limiter-flexible's: one row per key, the points spent in the current window and when that
 * window ends (epoch milliseconds).
 */
export class CompensationStarts1765400000000 implements MigrationInterface {
  name = 'CompensationStarts1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE compensation_starts (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE compensation_starts`);
  }
}
