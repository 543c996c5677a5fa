import { MessageTransactions, runMigrations } from '@orders/persistence';
import { createTestDatabase, TestDatabase } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Order } from '../src/domain/order';
import { orderDatabase } from '../src/infrastructure/database';
import { OrderReadModel1763683250003 } from '../src/infrastructure/migrations/1763683250003-order-read-model';
import { SqlOrderRepository } from '../src/infrastructure/sql-order.repository';
import { SqlOrderViewReader } from '../src/infrastructure/sql-order-view-reader';

jest.setTimeout(30_000);

const CUSTOMER = 'rolling-customer';
const ITEMS = [{ sku: 'SKU-MUG', quantity: 1 }];

/**
 * A rolling deployment of the read model's release: pods of the version before it keep writing
 * orders (the `orders` table only, as it did) after its migrations ran, side by side with pods of
 * the new version, which read every order from `order_views`.
 */
describe('the order read model while pods of the version before it still write orders', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  /** How the version before the read model placed an order: its row in `orders`, nothing else. */
  const placeAsBefore = async (orderId: string, placedAt: Date): Promise<void> => {
    await dataSource.query(
      `INSERT INTO orders (id, customer_id, status, items, shipping_address, payment_token, timeline, created_at, updated_at)
       VALUES ($1, $2, 'PENDING', $3, $4, 'tok_visa', $5, $6, $6)`,
      [
        orderId,
        CUSTOMER,
        JSON.stringify(ITEMS),
        JSON.stringify({ name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' }),
        JSON.stringify([{ type: 'ORDER_PLACED', at: placedAt.toISOString() }]),
        placedAt,
      ],
    );
  };

  /** How the version before the read model cancelled an order for a declined payment: its row in `orders`, nothing else. */
  const cancelAsBefore = async (orderId: string, at: Date): Promise<void> => {
    await dataSource.query(
      `UPDATE orders SET status = 'CANCELLED', cancellation_reason = 'PAYMENT_DECLINED',
                         timeline = timeline || jsonb_build_array(jsonb_build_object('type', 'ORDER_CANCELLED', 'at', $2::text)), updated_at = $3
       WHERE id = $1`,
      [orderId, at.toISOString(), at],
    );
  };

  /** How the new version places an order: the order and its view row together. */
  const placeAsNow = async (orderId: string, placedAt: Date): Promise<Order> => {
    const order = Order.place({
      id: orderId,
      customerId: CUSTOMER,
      items: ITEMS,
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      paymentToken: 'tok_visa',
      at: placedAt,
    });
    await new MessageTransactions(dataSource).run((tx) => new SqlOrderRepository().insert(tx, order));
    return order;
  };

  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

  beforeAll(async () => {
    database = await createTestDatabase('order-read-model-rollout');
    const options = orderDatabase(database.url);
    const migrations = options.migrations as unknown[];
    // The database as the read model's own migration left it, before anything that came after it.
    await runMigrations({ ...options, migrations: migrations.slice(0, migrations.indexOf(OrderReadModel1763683250003) + 1) } as typeof options);
    dataSource = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('serves the orders that pods of the version before placed or changed, before and after the migrations that follow the read model ran', async () => {
    const placedBeforeUpgrade = randomUUID();
    const placedByNewPod = randomUUID();
    const placedAfterUpgrade = randomUUID();
    // Between the read model's migration and the next release: an old pod places one order and cancels one the new pods placed.
    await placeAsBefore(placedBeforeUpgrade, minutesAgo(30));
    await placeAsNow(placedByNewPod, minutesAgo(20));
    await cancelAsBefore(placedByNewPod, minutesAgo(19));

    await runMigrations(orderDatabase(database.url));
    // Old pods still run while the release rolls out: one places an order, one cancels an order it placed earlier.
    const placedAt = minutesAgo(10);
    await placeAsBefore(placedAfterUpgrade, placedAt);
    await cancelAsBefore(placedBeforeUpgrade, minutesAgo(5));

    const reader = new SqlOrderViewReader(dataSource);
    const listed = await reader.list(CUSTOMER, 10);
    expect(listed.map((view) => [view.orderId, view.status, view.cancellationReason, view.timeline.map((entry) => entry.type)])).toEqual([
      [placedAfterUpgrade, 'PENDING', null, ['ORDER_PLACED']],
      [placedByNewPod, 'CANCELLED', 'PAYMENT_DECLINED', ['ORDER_PLACED', 'ORDER_CANCELLED']],
      [placedBeforeUpgrade, 'CANCELLED', 'PAYMENT_DECLINED', ['ORDER_PLACED', 'ORDER_CANCELLED']],
    ]);
    expect(await reader.find(placedAfterUpgrade, CUSTOMER)).toEqual({
      orderId: placedAfterUpgrade,
      customerId: CUSTOMER,
      status: 'PENDING',
      items: ITEMS,
      total: null,
      cancellationReason: null,
      timeline: [{ type: 'ORDER_PLACED', at: placedAt.toISOString() }],
      createdAt: placedAt.toISOString(),
      updatedAt: placedAt.toISOString(),
    });
  });

  it('still places and changes orders of the new version, with their view rows, after those migrations', async () => {
    await runMigrations(orderDatabase(database.url));
    const orderId = randomUUID();
    const order = await placeAsNow(orderId, minutesAgo(3));
    order.cancelByCustomer(minutesAgo(2));
    await new MessageTransactions(dataSource).run((tx) => new SqlOrderRepository().save(tx, order));

    expect(await new SqlOrderViewReader(dataSource).find(orderId, CUSTOMER)).toMatchObject({
      orderId,
      status: 'CANCELLED',
      cancellationReason: 'CUSTOMER_CANCELLED',
      timeline: order.timeline.map((entry) => ({ type: entry.type, at: entry.at.toISOString() })),
    });
  });
});
