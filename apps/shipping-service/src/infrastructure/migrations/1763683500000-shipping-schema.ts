import { MigrationInterface, QueryRunner } from 'typeorm';

export class ShippingSchema1763683500000 implements MigrationInterface {
  name = 'ShippingSchema1763683500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE shipments (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('REQUESTED', 'SCHEDULED', 'FAILED')),
        address jsonb NOT NULL,
        tracking_number text,
        carrier_shipment_id text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'SCHEDULED' OR (tracking_number IS NOT NULL AND carrier_shipment_id IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE shipments`);
  }
}
