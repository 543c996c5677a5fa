import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrderSchema1763683250000 implements MigrationInterface {
  name = 'OrderSchema1763683250000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
        items jsonb NOT NULL,
        shipping_address jsonb NOT NULL,
        payment_token text NOT NULL,
        total_amount bigint CHECK (total_amount >= 0),
        total_currency char(3),
        cancellation_reason text,
        timeline jsonb NOT NULL,
        reserved boolean NOT NULL DEFAULT false,
        authorized boolean NOT NULL DEFAULT false,
        scheduled boolean NOT NULL DEFAULT false,
        captured boolean NOT NULL DEFAULT false,
        committed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT orders_total_complete CHECK ((total_amount IS NULL) = (total_currency IS NULL)),
        CONSTRAINT orders_confirmed_has_total CHECK (status <> 'CONFIRMED' OR total_amount IS NOT NULL),
        CONSTRAINT orders_cancelled_has_reason CHECK ((status = 'CANCELLED') = (cancellation_reason IS NOT NULL))
      )`);
    // A customer's orders newest first, continued from a (created_at, id) cursor.
    await queryRunner.query(`CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        customer_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        order_id uuid NOT NULL REFERENCES orders (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (customer_id, key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP TABLE orders`);
  }
}
