import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cancelled shipments: with the parcel cancelled at the carrier if one was booked, or without an address if the order was cancelled first. */
export class ShipmentCancellations1763683500001 implements MigrationInterface {
  name = 'ShipmentCancellations1763683500001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE shipments
        DROP CONSTRAINT shipments_status_check,
        ALTER COLUMN address DROP NOT NULL,
        ADD COLUMN booking_cancelled boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT shipments_status_check CHECK (status IN ('REQUESTED', 'SCHEDULED', 'FAILED', 'CANCELLED')),
        ADD CONSTRAINT shipments_address_check CHECK (address IS NOT NULL OR status = 'CANCELLED'),
        ADD CONSTRAINT shipments_booking_cancelled_check CHECK (NOT booking_cancelled OR (status = 'CANCELLED' AND carrier_shipment_id IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE shipments
        DROP CONSTRAINT shipments_booking_cancelled_check,
        DROP CONSTRAINT shipments_address_check,
        DROP CONSTRAINT shipments_status_check,
        DROP COLUMN booking_cancelled,
        ALTER COLUMN address SET NOT NULL,
        ADD CONSTRAINT shipments_status_check CHECK (status IN ('REQUESTED', 'SCHEDULED', 'FAILED'))`);
  }
}
