import { MigrationInterface, QueryRunner } from 'typeorm';

export class InventorySchema1763683300000 implements MigrationInterface {
  name = 'InventorySchema1763683300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE products (
        sku text PRIMARY KEY,
        name text NOT NULL,
        price_amount int NOT NULL CHECK (price_amount >= 0),
        currency char(3) NOT NULL,
        available int NOT NULL CHECK (available >= 0),
        reserved int NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        committed int NOT NULL DEFAULT 0 CHECK (committed >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE reservations (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('RESERVED', 'COMMITTED', 'RELEASED')),
        lines jsonb NOT NULL,
        expires_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX reservations_expiring ON reservations (expires_at) WHERE status = 'RESERVED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reservations`);
    await queryRunner.query(`DROP TABLE products`);
  }
}
