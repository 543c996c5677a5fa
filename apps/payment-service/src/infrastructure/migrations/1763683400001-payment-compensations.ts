import { MigrationInterface, QueryRunner } from 'typeorm';

/** Compensated payments: VOIDED, REFUNDED, and CANCELLED (possibly before the order was placed here, so without a token). */
export class PaymentCompensations1763683400001 implements MigrationInterface {
  name = 'PaymentCompensations1763683400001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE payments
        DROP CONSTRAINT payments_status_check,
        DROP CONSTRAINT payments_check1,
        ALTER COLUMN token DROP NOT NULL,
        ADD COLUMN provider_refund_id text,
        ADD CONSTRAINT payments_status_check
          CHECK (status IN ('PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUNDED', 'CANCELLED')),
        ADD CONSTRAINT payments_token_check CHECK (token IS NOT NULL OR status = 'CANCELLED'),
        ADD CONSTRAINT payments_authorization_check
          CHECK (status NOT IN ('AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED') OR (amount IS NOT NULL AND provider_authorization_id IS NOT NULL)),
        ADD CONSTRAINT payments_refund_check CHECK (status <> 'REFUNDED' OR (provider_capture_id IS NOT NULL AND provider_refund_id IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE payments
        DROP CONSTRAINT payments_refund_check,
        DROP CONSTRAINT payments_authorization_check,
        DROP CONSTRAINT payments_token_check,
        DROP CONSTRAINT payments_status_check,
        DROP COLUMN provider_refund_id,
        ALTER COLUMN token SET NOT NULL,
        ADD CONSTRAINT payments_status_check CHECK (status IN ('PENDING', 'AUTHORIZED', 'CAPTURED', 'DECLINED')),
        ADD CONSTRAINT payments_check1
          CHECK (status IN ('PENDING', 'DECLINED') OR (amount IS NOT NULL AND provider_authorization_id IS NOT NULL))`);
  }
}
