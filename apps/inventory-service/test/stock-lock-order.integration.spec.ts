import { OrderPlaced } from '@orders/contracts';
import { MessageTransactions, runMigrations } from '@orders/persistence';
import { systemClock } from '@orders/shared-kernel';
import { createTestDatabase, TestDatabase, waitFor } from '@orders/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ExpireReservationsCommand } from '../src/application/expire-reservations/expire-reservations.command';
import { ExpireReservationsHandler } from '../src/application/expire-reservations/expire-reservations.handler';
import { ReserveStockCommand } from '../src/application/reserve-stock/reserve-stock.command';
import { ReserveStockHandler } from '../src/application/reserve-stock/reserve-stock.handler';
import { inventoryDatabase } from '../src/infrastructure/database';
import { SqlInventoryRepository } from '../src/infrastructure/sql-inventory.repository';

// Postgres looks for a deadlock only after deadlock_timeout (1 s) of waiting, then aborts one of its transactions.
jest.setTimeout(30_000);

const PRICE = 1250;

/**
 * Transactions that lock the same products interleaved on purpose: a test connection holds one
 * product's row, the use cases queue up behind it, and only once each of them is seen waiting
 * on a lock is the row let go. Whatever they lock next decides whether they deadlock.
 */
describe('locking stock in one order across transactions, on real Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sweeps: ExpireReservationsHandler;
  let reservations: ReserveStockHandler;

  beforeAll(async () => {
    database = await createTestDatabase('inventory-lock-order');
    await runMigrations(inventoryDatabase(database.url));
    dataSource = await new DataSource(inventoryDatabase(database.url)).initialize();
    const transactions = new MessageTransactions(dataSource);
    const inventory = new SqlInventoryRepository(dataSource);
    sweeps = new ExpireReservationsHandler(transactions, inventory, systemClock);
    reservations = new ReserveStockHandler(transactions, inventory, { reservationTtlMs: 600_000, expirySweepIntervalMs: 15_000 }, systemClock);
  });

  // A batch that lost a deadlock rolls back and leaves its reservations expired, for the next test's sweep to take.
  afterEach(() => dataSource.query(`DELETE FROM reservations`));

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Two products of their own, the first before the second in SKU order, each with 10 units and `reserved` of them reserved. */
  const addProducts = async (reserved: { first: number; second: number }): Promise<[string, string]> => {
    const prefix = `SKU-${randomBytes(5).toString('hex').toUpperCase()}`;
    const skus: [string, string] = [`${prefix}-A`, `${prefix}-B`];
    await dataSource.query(`INSERT INTO products (sku, name, price_amount, currency, available, reserved) VALUES ($1, $1, $3, 'EUR', $4, $5), ($2, $2, $3, 'EUR', $6, $7)`, [
      ...skus,
      PRICE,
      10 - reserved.first,
      reserved.first,
      10 - reserved.second,
      reserved.second,
    ]);
    return skus;
  };

  /** Reservations of one unit each, of these SKUs, expired in this order. */
  const addExpiredReservations = async (skus: string[]): Promise<string[]> => {
    const orderIds = skus.map(() => randomUUID());
    const expired = Date.now() - 60_000;
    for (const [index, sku] of skus.entries()) {
      await dataSource.query(`INSERT INTO reservations (id, order_id, status, lines, expires_at) VALUES ($1, $2, 'RESERVED', $3, $4)`, [
        randomUUID(),
        orderIds[index],
        JSON.stringify([{ sku, quantity: 1, unitPrice: { amount: PRICE, currency: 'EUR' } }]),
        new Date(expired + index * 1_000),
      ]);
    }
    return orderIds;
  };

  /** A transaction of the test's own holding the row of `sku` until `release` is called. */
  const holdProduct = async (sku: string): Promise<{ release(): Promise<void> }> => {
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM products WHERE sku = $1 FOR UPDATE`, [sku]);
    return {
      release: async () => {
        await holder.query('COMMIT');
        await holder.end();
      },
    };
  };

  const waitingOnLocks = (count: number) =>
    waitFor(
      async () => (await dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [database.name]))[0].n === count,
      { timeoutMs: 10_000, description: `${count} transactions waiting on a lock` },
    );

  const stockOf = async (skus: string[]): Promise<Array<{ available: number; reserved: number }>> =>
    dataSource.query(`SELECT available, reserved FROM products WHERE sku = ANY($1) ORDER BY sku`, [skus]);

  const statusesOf = async (orderIds: string[]): Promise<string[]> =>
    (await dataSource.query(`SELECT status FROM reservations WHERE order_id = ANY($1)`, [orderIds])).map((row: { status: string }) => row.status);

  it('lets two sweeps release batches that share products in opposite orders without a deadlock', async () => {
    const [first, second] = await addProducts({ first: 2, second: 2 });
    // The first sweep's batch takes the second product first, the other sweep's batch the first product first.
    const orderIds = await addExpiredReservations([second, first, first, second]);
    const holder = await holdProduct(second);

    const oneSweep = sweeps.execute(new ExpireReservationsCommand(2));
    await waitingOnLocks(1);
    const otherSweep = sweeps.execute(new ExpireReservationsCommand(2));
    await waitingOnLocks(2);
    await holder.release();

    const outcomes = await Promise.allSettled([oneSweep, otherSweep]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 2 },
    ]);
    expect(await statusesOf(orderIds)).toEqual(['RELEASED', 'RELEASED', 'RELEASED', 'RELEASED']);
    expect(await stockOf([first, second])).toEqual([
      { available: 10, reserved: 0 },
      { available: 10, reserved: 0 },
    ]);
  });

  it('lets a sweep and a reservation of the same products run at once without a deadlock', async () => {
    const [first, second] = await addProducts({ first: 1, second: 1 });
    // The sweep's batch takes the second product first; the new order locks the first product first.
    const expiredOrderIds = await addExpiredReservations([second, first]);
    const placed = OrderPlaced.create(
      {
        orderId: randomUUID(),
        customerId: 'customer-1',
        items: [
          { sku: second, quantity: 1 },
          { sku: first, quantity: 1 },
        ],
        shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
        paymentToken: 'tok_visa',
      },
      { correlationId: 'lock-order' },
    );
    const holder = await holdProduct(first);

    const reservation = reservations.execute(new ReserveStockCommand(placed, 'lock-order-test'));
    await waitingOnLocks(1);
    const sweep = sweeps.execute(new ExpireReservationsCommand(2));
    await waitingOnLocks(2);
    await holder.release();

    const outcomes = await Promise.allSettled([reservation, sweep]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: undefined },
      { status: 'fulfilled', value: 2 },
    ]);
    expect(await statusesOf(expiredOrderIds)).toEqual(['RELEASED', 'RELEASED']);
    expect(await statusesOf([placed.data.orderId])).toEqual(['RESERVED']);
    expect(await stockOf([first, second])).toEqual([
      { available: 9, reserved: 1 },
      { available: 9, reserved: 1 },
    ]);
  });
});
