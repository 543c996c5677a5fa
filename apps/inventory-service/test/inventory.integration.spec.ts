import { jetstream, JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, NatsConnection } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { LocalCallerTokens } from '@orders/caller-tokens';
import {
  EventEnvelope,
  eventSubject,
  HEADERS,
  InventoryStockAdjusted,
  ListProducts,
  OrderCancelled,
  OrderPlaced,
  PaymentCaptured,
  PaymentFailed,
  SetAvailable,
  ShippingFailed,
} from '@orders/contracts';
import { runMigrations } from '@orders/persistence';
import { QueryClient } from '@orders/messaging';
import { createApp } from '@orders/service-runtime';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { InventoryModule } from '../src/app.module';
import { InventoryConfig, SERVICE_NAME } from '../src/config';
import { inventoryDatabase } from '../src/infrastructure/database';

// Some tests wait for several hand-offs between processes in a row, each allowed 15 s on a loaded machine.
jest.setTimeout(60_000);

interface StockRow {
  available: number;
  reserved: number;
  committed: number;
}

const PRICE = 1250;

const correlation = (orderId: string) => ({ correlationId: `test-${orderId}` });

const orderPlaced = (orderId: string, sku: string, quantity = 2) =>
  OrderPlaced.create(
    {
      orderId,
      customerId: 'customer-1',
      items: [{ sku, quantity }],
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      paymentToken: 'tok_visa',
    },
    correlation(orderId),
  );

const paymentFailed = (orderId: string) => PaymentFailed.create({ orderId, paymentId: randomUUID(), reason: 'DECLINED' }, correlation(orderId));
const shippingFailed = (orderId: string) => ShippingFailed.create({ orderId, shipmentId: randomUUID(), reason: 'UNSUPPORTED_DESTINATION' }, correlation(orderId));
const paymentCaptured = (orderId: string, quantity = 2) =>
  PaymentCaptured.create({ orderId, paymentId: randomUUID(), amount: { amount: PRICE * quantity, currency: 'EUR' } }, correlation(orderId));
const orderCancelled = (orderId: string, reason: 'CUSTOMER_CANCELLED' | 'TIMED_OUT' | 'PAYMENT_DECLINED' = 'CUSTOMER_CANCELLED') =>
  OrderCancelled.create({ orderId, reason }, correlation(orderId));

describe('inventory-service on real Postgres and NATS JetStream', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  const callers = new LocalCallerTokens();
  let dataSource: DataSource;
  let client: NatsConnection;
  let js: JetStreamClient;

  beforeAll(async () => {
    process.env.LOG_LEVEL ??= 'warn';
    [database, nats] = await Promise.all([createTestDatabase('inventory-service'), startPrivateNatsServer()]);
    await runMigrations(inventoryDatabase(database.url));
    const reservations = { RESERVATION_TTL_MS: 10 * 60_000, RESERVATION_SWEEP_INTERVAL_MS: 15_000 };
    const config: InventoryConfig = {
      PORT: 0,
      HOST: '127.0.0.1',
      NATS_URL: nats.url,
      DATABASE_URL: database.url,
      CALLER_TOKEN_PUBLIC_KEY: callers.keys.publicKey,
      ...reservations,
    };
    app = await createApp(InventoryModule.forRoot(config), { name: SERVICE_NAME, port: 0, host: '127.0.0.1', consumesMessages: true, callers: callers.verifier });
    await app.init();
    await app.startAllMicroservices();
    dataSource = app.get(DataSource);
    client = await connect({ servers: nats.url });
    js = jetstream(client);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  /** Publishes like a relay would; a distinct `msgID` gets past JetStream's de-duplication, as a redelivery does. */
  const publish = async (event: EventEnvelope, msgID = event.id): Promise<void> => {
    await js.publish(eventSubject(event.type, event.version), JSON.stringify(event), { msgID });
  };

  /** A product of its own per test, so tests cannot disturb each other's stock. */
  const addProduct = async (available: number): Promise<string> => {
    const sku = `SKU-${randomBytes(5).toString('hex').toUpperCase()}`;
    await dataSource.query(`INSERT INTO products (sku, name, price_amount, currency, available) VALUES ($1, $1, $2, 'EUR', $3)`, [sku, PRICE, available]);
    return sku;
  };

  const stockOf = async (sku: string): Promise<StockRow> => (await dataSource.query(`SELECT available, reserved, committed FROM products WHERE sku = $1`, [sku]))[0];

  const reservationOf = async (orderId: string): Promise<{ status: string; lines: unknown[] } | undefined> =>
    (await dataSource.query(`SELECT status, lines FROM reservations WHERE order_id = $1`, [orderId]))[0];

  const published = async (orderId: string): Promise<Array<EventEnvelope<{ reason?: string }>>> =>
    (await dataSource.query(`SELECT payload FROM outbox WHERE payload -> 'data' ->> 'orderId' = $1 ORDER BY seq`, [orderId])).map(
      (row: { payload: EventEnvelope<{ reason?: string }> }) => row.payload,
    );
  /** Type and reason (if any) of what was published about the order, in order. */
  const outcomes = async (orderId: string): Promise<string[]> => (await published(orderId)).map((event) => [event.type, event.data.reason].filter(Boolean).join(' '));

  const processed = async (event: EventEnvelope): Promise<boolean> => (await dataSource.query(`SELECT 1 FROM inbox WHERE message_id = $1`, [event.id])).length > 0;

  const waitForStatus = (orderId: string, status: string) =>
    waitFor(async () => (await reservationOf(orderId))?.status === status, { timeoutMs: 15_000, description: `reservation of ${orderId} to be ${status}` });

  /** Publishes the event and waits until inventory-service has handled it. */
  const deliver = async (event: EventEnvelope): Promise<void> => {
    await publish(event);
    await waitFor(() => processed(event), { timeoutMs: 15_000, description: `${event.type} ${event.id} to be processed` });
  };

  /** Every message of the consumer was handled and acked, duplicates included. */
  const drained = async (stream: string, consumer: string): Promise<void> => {
    const jsm = await jetstreamManager(client);
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(stream, consumer);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 15_000, description: `${consumer} to ack everything` },
    );
  };

  const reserve = async (orderId: string, sku: string): Promise<void> => {
    await publish(orderPlaced(orderId, sku));
    await waitForStatus(orderId, 'RESERVED');
  };

  it('answers the catalogue only to a query that carries a caller token from the gateway', async () => {
    const queries = app.get(QueryClient);
    const { products } = await queries.request(ListProducts, { skus: ['SKU-TSHIRT'] }, callers.askedBy('alice'));
    expect(products.map((product) => product.sku)).toEqual(['SKU-TSHIRT']);
    await expect(queries.request(ListProducts, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(queries.request(ListProducts, {}, new LocalCallerTokens().askedBy('alice'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  describe("operators' stock counts", () => {
    const asOperator = (requestId: string) => ({ headers: { ...callers.askedBy('ops-user', ['ops']).headers, [HEADERS.correlationId]: requestId } });

    /** A raw request's headers, past QueryClient's own validation of what it sends. */
    const operatorHeaders = () => {
      const headers = natsHeaders();
      headers.set(HEADERS.authorization, callers.authorizationFor('ops-user', ['ops']));
      return headers;
    };

    const adjustmentsOf = async (sku: string): Promise<Array<{ previous_available: number; available: number; adjusted_by: string }>> =>
      dataSource.query(`SELECT previous_available, available, adjusted_by FROM stock_adjustments WHERE sku = $1 ORDER BY adjusted_at`, [sku]);

    const adjustedEvents = async (sku: string): Promise<Array<EventEnvelope<{ sku: string }>>> =>
      (
        await dataSource.query(`SELECT payload FROM outbox WHERE payload ->> 'type' = $1 AND payload -> 'data' ->> 'sku' = $2 ORDER BY seq`, [InventoryStockAdjusted.type, sku])
      ).map((row: { payload: EventEnvelope<{ sku: string }> }) => row.payload);

    it('sets the units for sale, leaving reserved and committed units alone, records who did it and publishes it once', async () => {
      const sku = await addProduct(10);
      await reserve(randomUUID(), sku);
      const sold = randomUUID();
      await reserve(sold, sku);
      await deliver(paymentCaptured(sold));
      expect(await stockOf(sku)).toEqual({ available: 6, reserved: 2, committed: 2 });
      const queries = app.get(QueryClient);

      const stock = await queries.request(SetAvailable, { sku, available: 50 }, asOperator('request-1'));
      const again = await queries.request(SetAvailable, { sku, available: 50 }, asOperator('request-2'));

      expect(stock).toEqual({ sku, available: 50, reserved: 2, committed: 2 });
      expect(again).toEqual(stock);
      expect(await stockOf(sku)).toEqual({ available: 50, reserved: 2, committed: 2 });
      expect(await adjustmentsOf(sku)).toEqual([{ previous_available: 6, available: 50, adjusted_by: 'ops-user' }]);
      const events = await adjustedEvents(sku);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'inventory.stock-adjusted',
          version: 1,
          correlationId: 'request-1',
          data: { adjustmentId: expect.any(String), sku, previousAvailable: 6, available: 50, adjustedBy: 'ops-user' },
        }),
      ]);
      const jsm = await jetstreamManager(client);
      const relayed = await waitFor(
        async () => (await jsm.streams.getMessage('INVENTORY', { last_by_subj: InventoryStockAdjusted.subject }).catch(() => null))?.json<EventEnvelope>(),
        { timeoutMs: 15_000, description: 'inventory.stock-adjusted in the INVENTORY stream' },
      );
      expect(relayed).toEqual(events[0]);
    });

    it('takes every unit off sale, then refuses an order for them', async () => {
      const sku = await addProduct(3);

      await app.get(QueryClient).request(SetAvailable, { sku, available: 0 }, asOperator('request-3'));
      const orderId = randomUUID();
      await deliver(orderPlaced(orderId, sku, 1));

      expect(await stockOf(sku)).toEqual({ available: 0, reserved: 0, committed: 0 });
      expect(await outcomes(orderId)).toEqual(['inventory.rejected OUT_OF_STOCK']);
    });

    it('refuses a caller without the ops role, and answers NOT_FOUND for an unknown SKU', async () => {
      const sku = await addProduct(5);
      const queries = app.get(QueryClient);

      await expect(queries.request(SetAvailable, { sku, available: 9 }, callers.askedBy('alice', ['customer']))).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(queries.request(SetAvailable, { sku: 'SKU-NOWHERE', available: 9 }, asOperator('request-4'))).rejects.toMatchObject({ code: 'NOT_FOUND' });

      expect(await stockOf(sku)).toEqual({ available: 5, reserved: 0, committed: 0 });
      expect(await adjustmentsOf(sku)).toEqual([]);
      expect(await adjustedEvents(sku)).toEqual([]);
    });

    it.each([{ available: -1 }, { available: 1_000_001 }, { available: 2.5 }, { available: '7' }, { available: 7, reserved: 0 }, {}])(
      'answers INVALID_REQUEST to %j, whoever asks it',
      async (change) => {
        const sku = await addProduct(5);
        const reply = await client.request(SetAvailable.subject, JSON.stringify({ sku, ...change }), { timeout: 5_000, headers: operatorHeaders() });

        expect(reply.json()).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
        expect(await stockOf(sku)).toEqual({ available: 5, reserved: 0, committed: 0 });
      },
    );
  });

  describe('compensations', () => {
    it.each([
      ['payment.failed', paymentFailed, 'PAYMENT', `${SERVICE_NAME}-payment-failed`],
      ['shipping.failed', shippingFailed, 'SHIPPING', `${SERVICE_NAME}-shipping-failed`],
    ])('releases the reservation on %s, once however often it is told', async (_label, failure, stream, consumer) => {
      const sku = await addProduct(10);
      const orderId = randomUUID();
      await reserve(orderId, sku);
      expect(await stockOf(sku)).toEqual({ available: 8, reserved: 2, committed: 0 });

      const event = failure(orderId);
      await publish(event, `${event.id}-a`);
      await publish(event, `${event.id}-b`);
      // The same fact again under a new event id: the reservation's state, not the inbox, stops it.
      const again = failure(orderId);
      await publish(again);
      await waitForStatus(orderId, 'RELEASED');
      await drained(stream, consumer);
      // order-service cancels the order for the same failure; that changes nothing more either.
      await deliver(orderCancelled(orderId, 'PAYMENT_DECLINED'));

      expect(await stockOf(sku)).toEqual({ available: 10, reserved: 0, committed: 0 });
      expect(await outcomes(orderId)).toEqual(['inventory.reserved', 'inventory.released COMPENSATION']);
      // Either copy of the fact may be handled first (the consumer handles several messages at once); it is the release's cause.
      const released = (await published(orderId))[1];
      expect([event.id, again.id]).toContain(released.causationId);
      expect(released.correlationId).toBe(`test-${orderId}`);
    });

    it('restocks the sold units when a paid order is cancelled, and ignores a later capture', async () => {
      const sku = await addProduct(10);
      const orderId = randomUUID();
      await reserve(orderId, sku);
      await publish(paymentCaptured(orderId));
      await waitForStatus(orderId, 'COMMITTED');
      expect(await stockOf(sku)).toEqual({ available: 8, reserved: 0, committed: 2 });

      const cancelled = orderCancelled(orderId);
      await publish(cancelled);
      await publish(cancelled, `${cancelled.id}-again`);
      await publish(orderCancelled(orderId));
      await waitForStatus(orderId, 'RESTOCKED');
      await drained('ORDER', `${SERVICE_NAME}-order-cancelled`);
      await deliver(paymentCaptured(orderId));

      expect(await stockOf(sku)).toEqual({ available: 10, reserved: 0, committed: 0 });
      expect(await reservationOf(orderId)).toMatchObject({ status: 'RESTOCKED' });
      expect(await outcomes(orderId)).toEqual(['inventory.reserved', 'inventory.committed', 'inventory.released RESTOCKED']);
    });

    it('keeps the sold units when a saga failure arrives after the sale', async () => {
      const sku = await addProduct(10);
      const orderId = randomUUID();
      await reserve(orderId, sku);
      await publish(paymentCaptured(orderId));
      await waitForStatus(orderId, 'COMMITTED');

      await deliver(shippingFailed(orderId));

      expect(await reservationOf(orderId)).toMatchObject({ status: 'COMMITTED' });
      expect(await stockOf(sku)).toEqual({ available: 8, reserved: 0, committed: 2 });
    });

    it('reserves nothing and publishes nothing for an order cancelled before it was placed here', async () => {
      const sku = await addProduct(10);
      const orderId = randomUUID();
      await deliver(orderCancelled(orderId, 'TIMED_OUT'));
      expect(await reservationOf(orderId)).toEqual({ status: 'RELEASED', lines: [] });

      await deliver(orderPlaced(orderId, sku));

      expect(await stockOf(sku)).toEqual({ available: 10, reserved: 0, committed: 0 });
      expect(await reservationOf(orderId)).toEqual({ status: 'RELEASED', lines: [] });
      expect(await published(orderId)).toEqual([]);
    });

    it('does not commit a payment captured after the stock was released', async () => {
      const sku = await addProduct(10);
      const orderId = randomUUID();
      await reserve(orderId, sku);
      await publish(orderCancelled(orderId, 'TIMED_OUT'));
      await waitForStatus(orderId, 'RELEASED');

      await deliver(paymentCaptured(orderId));

      expect(await reservationOf(orderId)).toMatchObject({ status: 'RELEASED' });
      expect(await stockOf(sku)).toEqual({ available: 10, reserved: 0, committed: 0 });
      expect(await outcomes(orderId)).toEqual(['inventory.reserved', 'inventory.released COMPENSATION']);
    });
  });

  describe('never overselling', () => {
    it('reserves exactly the 10 units in stock for 50 concurrent orders, rejecting the other 40', async () => {
      const sku = await addProduct(10);
      const orderIds = Array.from({ length: 50 }, () => randomUUID());
      const samples: StockRow[] = [];
      let sampling = true;
      const sampler = (async () => {
        // A connection of its own: the app's pool is taken by the very handlers being observed.
        const observer = new Client({ connectionString: database.url });
        await observer.connect();
        try {
          while (sampling) {
            samples.push((await observer.query<StockRow>(`SELECT available, reserved, committed FROM products WHERE sku = $1`, [sku])).rows[0]);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        } finally {
          await observer.end();
        }
      })();

      try {
        await Promise.all(orderIds.map((orderId) => publish(orderPlaced(orderId, sku, 1))));
        await waitFor(
          async () => Number((await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE payload -> 'data' ->> 'orderId' = ANY($1)`, [orderIds]))[0].n) === 50,
          {
            timeoutMs: 30_000,
            description: 'an answer to every order',
          },
        );
        await drained('ORDER', `${SERVICE_NAME}-order-placed`);
      } finally {
        sampling = false;
        await sampler;
      }

      expect(await stockOf(sku)).toEqual({ available: 0, reserved: 10, committed: 0 });
      const reservations = await dataSource.query(`SELECT status, lines FROM reservations WHERE order_id = ANY($1)`, [orderIds]);
      expect(reservations).toHaveLength(10);
      expect(reservations.every((row: { status: string; lines: Array<{ sku: string; quantity: number }> }) => row.status === 'RESERVED' && row.lines[0].quantity === 1)).toBe(true);
      const answers = await dataSource.query(`SELECT payload FROM outbox WHERE payload -> 'data' ->> 'orderId' = ANY($1)`, [orderIds]);
      const types = answers.map((row: { payload: EventEnvelope<{ reason?: string }> }) => `${row.payload.type}${row.payload.data.reason ? ` ${row.payload.data.reason}` : ''}`);
      expect(types.filter((type: string) => type === 'inventory.reserved')).toHaveLength(10);
      expect(types.filter((type: string) => type === 'inventory.rejected OUT_OF_STOCK')).toHaveLength(40);

      expect(samples.length).toBeGreaterThan(0);
      for (const sample of samples) {
        expect(Math.min(sample.available, sample.reserved, sample.committed)).toBeGreaterThanOrEqual(0);
        expect(sample.available + sample.reserved + sample.committed).toBe(10);
      }
    }, 60_000);

    it('keeps stock counts non-negative in the database itself', async () => {
      const sku = await addProduct(1);
      for (const column of ['available', 'reserved', 'committed']) {
        await expect(dataSource.query(`UPDATE products SET ${column} = -1 WHERE sku = $1`, [sku])).rejects.toMatchObject({ driverError: { code: '23514' } });
      }
      expect(await stockOf(sku)).toEqual({ available: 1, reserved: 0, committed: 0 });
    });
  });
});
