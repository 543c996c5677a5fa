import { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns of an order's view row that come from the order itself, in `orders`' own names (order_id aside). */
const ORDER_COLUMNS = ['status', 'total_amount', 'total_currency', 'cancellation_reason', 'timeline', 'updated_at'];
const changed = ORDER_COLUMNS.map((column) => `order_views.${column}`).join(', ');
const incoming = ORDER_COLUMNS.map((column) => `EXCLUDED.${column}`).join(', ');
/** Brings a view row in step with its order; a row already in step is left alone (no write). */
const UPSERT_FROM_ORDER = `ON CONFLICT (order_id) DO UPDATE SET ${ORDER_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
  WHERE (${changed}) IS DISTINCT FROM (${incoming})`;

/**
 * Keeps `order_views` in step with `orders` whoever writes an order. The read model's migration
 * filled the view once, but pods of the version before it go on writing orders (only `orders`)
 * while a release rolls out, and again after a rollback to that version: their new orders had no
 * view row and their changes never reached the view, so the new version answered 404 or a stale
 * status for them. A trigger on `orders` now copies the order's own columns into its view row after
 * every insert and update, and the view is filled again from `orders` for what was missed so far.
 * The new version's own writes of those columns find the row in step and change nothing more. The
 * payment and shipment summaries stay with the saga handlers that know them.
 *
 * CREATE TRIGGER holds off every write to `orders` until this migration commits, so no order is
 * written between the refill and the trigger taking over, and the refill overwrites nothing newer.
 */
export class OrderViewsFollowEveryWriter1763683250004 implements MigrationInterface {
  name = 'OrderViewsFollowEveryWriter1763683250004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION order_views_follow_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO order_views (order_id, customer_id, items, created_at, ${ORDER_COLUMNS.join(', ')})
        VALUES (NEW.id, NEW.customer_id, NEW.items, NEW.created_at, ${ORDER_COLUMNS.map((column) => `NEW.${column}`).join(', ')})
        ${UPSERT_FROM_ORDER};
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER order_views_follow_order AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION order_views_follow_order()`);
    await queryRunner.query(`
      INSERT INTO order_views (order_id, customer_id, items, created_at, ${ORDER_COLUMNS.join(', ')})
      SELECT id, customer_id, items, created_at, ${ORDER_COLUMNS.join(', ')} FROM orders
      ${UPSERT_FROM_ORDER}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER order_views_follow_order ON orders`);
    await queryRunner.query(`DROP FUNCTION order_views_follow_order()`);
  }
}
