import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentSchema1763683400000 implements MigrationInterface {
  name = 'PaymentSchema1763683400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED')),
        token text NOT NULL,
        amount int CHECK (amount >= 0),
        currency char(3),
        provider_authorization_id text,
        provider_capture_id text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((amount IS NULL) = (currency IS NULL)),
        CHECK (status IN ('PENDING', 'DECLINED') OR (amount IS NOT NULL AND provider_authorization_id IS NOT NULL)),
        CHECK (status <> 'CAPTURED' OR provider_capture_id IS NOT NULL)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE payments`);
  }
}
