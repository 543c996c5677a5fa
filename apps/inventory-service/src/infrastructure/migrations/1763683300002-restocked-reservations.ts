import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reservations may be RESTOCKED (paid, then cancelled), and a RELEASED one may have no
 * lines: the tombstone of an order cancelled before its stock was reserved. Stock
 * counts already cannot go negative (CHECKs of the products table).
 */
export class RestockedReservations1763683300002 implements MigrationInterface {
  name = 'RestockedReservations1763683300002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reservations DROP CONSTRAINT reservations_status_check`);
    await queryRunner.query(`
      ALTER TABLE reservations
        ADD CONSTRAINT reservations_status_check CHECK (status IN ('RESERVED', 'COMMITTED', 'RELEASED', 'RESTOCKED')),
        ADD CONSTRAINT reservations_lines_present CHECK (status = 'RELEASED' OR jsonb_array_length(lines) > 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reservations DROP CONSTRAINT reservations_lines_present, DROP CONSTRAINT reservations_status_check`);
    await queryRunner.query(`ALTER TABLE reservations ADD CONSTRAINT reservations_status_check CHECK (status IN ('RESERVED', 'COMMITTED', 'RELEASED'))`);
  }
}
