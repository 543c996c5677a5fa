import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of operators' stock counts: who set how many units of a SKU were for sale, when,
 * and what it was before. Only changes are recorded: setting the count it already had is none.
 */
export class StockAdjustments1763683300003 implements MigrationInterface {
  name = 'StockAdjustments1763683300003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stock_adjustments (
        id uuid PRIMARY KEY,
        sku text NOT NULL REFERENCES products (sku),
        previous_available int NOT NULL CHECK (previous_available >= 0),
        available int NOT NULL CHECK (available >= 0),
        adjusted_by text NOT NULL,
        adjusted_at timestamptz NOT NULL,
        CONSTRAINT stock_adjustments_change CHECK (available <> previous_available)
      )`);
    await queryRunner.query(`CREATE INDEX stock_adjustments_of_sku ON stock_adjustments (sku, adjusted_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stock_adjustments`);
  }
}
