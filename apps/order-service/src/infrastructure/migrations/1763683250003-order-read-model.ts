import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order read model: one denormalized row per order, written in the transactions
 * that change the order or handle a saga event about it, and the watermark of the
 * saga events it has applied (see docs/adr/0008-order-read-model.md).
 */
export class OrderReadModel1763683250003 implements MigrationInterface {
  name = 'OrderReadModel1763683250003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_views (
        order_id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        status text NOT NULL,
        items jsonb NOT NULL,
        total_amount bigint,
        total_currency char(3),
        cancellation_reason text,
        timeline jsonb NOT NULL,
        payment_status text,
        payment_amount bigint,
        payment_currency char(3),
        shipment_status text,
        tracking_number text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX order_views_by_customer ON order_views (customer_id, created_at DESC, order_id DESC)`);
    await queryRunner.query(`
      INSERT INTO order_views (order_id, customer_id, status, items, total_amount, total_currency, cancellation_reason, timeline, created_at, updated_at)
      SELECT id, customer_id, status, items, total_amount, total_currency, cancellation_reason, timeline, created_at, updated_at FROM orders`);
    await queryRunner.query(`
      CREATE TABLE projection_watermark (
        projection text PRIMARY KEY,
        applied_until timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE projection_watermark`);
    await queryRunner.query(`DROP TABLE order_views`);
  }
}
