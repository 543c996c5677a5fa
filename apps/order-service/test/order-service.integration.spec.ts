import { jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import {
  EventDefinition,
  EventEnvelope,
  GetOrder,
  InventoryCommitted,
  InventoryRejected,
  InventoryReserved,
  ListOrders,
  orderPageSchema,
  orderViewSchema,
  PaymentAuthorized,
  PaymentCaptured,
  ShippingScheduled,
} from '@orders/contracts';
import { MessageTransactions, QueryClient } from '@orders/messaging';
import { runMigrations } from '@orders/persistence';
import { createApp } from '@orders/service-runtime';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { OrderModule } from '../src/app.module';
import { OrderRepository } from '../src/application/order.repository';
import { OrderConfig, SERVICE_NAME } from '../src/config';
import { Order } from '../src/domain/order';
import { orderDatabase } from '../src/infrastructure/database';

jest.setTimeout(30_000);

const ORDER = {
  items: [{ sku: 'SKU-TSHIRT', quantity: 2 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};
const TOTAL = { amount: 3998, currency: 'EUR' };

interface HttpAnswer {
  status: number;
  headers: Headers;
  // Parsed JSON of whatever the service answered.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

describe('order-service on real Postgres and NATS JetStream', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let baseUrl: string;
  let dataSource: DataSource;
  let client: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    process.env.LOG_LEVEL ??= 'warn';
    [database, nats] = await Promise.all([createTestDatabase('order-service'), startPrivateNatsServer()]);
    await runMigrations(orderDatabase(database.url));
    const config: OrderConfig = { PORT: 0, HOST: '127.0.0.1', NATS_URL: nats.url, DATABASE_URL: database.url };
    // Wired exactly as main.ts does it: error filter, request ids, JetStream consumers and query responders.
    app = await createApp(OrderModule.forRoot(config), { name: SERVICE_NAME, port: config.PORT, host: config.HOST, consumesMessages: true });
    await app.init();
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    dataSource = app.get(DataSource);
    client = await connect({ servers: nats.url });
    jsm = await jetstreamManager(client);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  async function http(method: string, path: string, options: { user?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.user) headers['x-user-id'] = options.user;
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  const placeOrder = (user: string, key: string, body: unknown = ORDER, headers: Record<string, string> = {}) =>
    http('POST', '/internal/orders', { user, body, headers: { 'idempotency-key': key, ...headers } });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await dataSource.query(sql, params))[0].n);
  const ordersOf = (customerId: string) => count(`SELECT count(*)::int AS n FROM orders WHERE customer_id = $1`, [customerId]);
  const outboxFor = (orderId: string, subject: string) =>
    count(`SELECT count(*)::int AS n FROM outbox WHERE subject = $1 AND payload->'data'->>'orderId' = $2`, [subject, orderId]);
  const tableSizes = async () => ({
    orders: await count(`SELECT count(*)::int AS n FROM orders`),
    keys: await count(`SELECT count(*)::int AS n FROM idempotency_keys`),
    outbox: await count(`SELECT count(*)::int AS n FROM outbox`),
  });

  async function publish(event: EventEnvelope, msgID = event.id): Promise<void> {
    const subject = `${event.type}.v${event.version}`;
    await jetstream(client).publish(subject, JSON.stringify(event), { msgID });
  }

  /** An event of the saga, happening `secondsLater` after now so the expected timeline order is unambiguous. */
  function sagaEvent<TData>(definition: EventDefinition<TData>, data: TData, secondsLater: number, correlationId = `test-${randomUUID()}`): EventEnvelope<TData> {
    const event = definition.create(data, { correlationId });
    return { ...event, occurredAt: new Date(Date.now() + secondsLater * 1_000).toISOString() };
  }

  function happyPath(orderId: string, correlationId?: string) {
    const reservationId = randomUUID();
    const paymentId = randomUUID();
    return {
      reserved: sagaEvent(
        InventoryReserved,
        {
          orderId,
          reservationId,
          lines: [{ sku: 'SKU-TSHIRT', quantity: 2, unitPrice: { amount: 1999, currency: 'EUR' } }],
          total: TOTAL,
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
        },
        1,
        correlationId,
      ),
      authorized: sagaEvent(PaymentAuthorized, { orderId, paymentId, amount: TOTAL }, 2, correlationId),
      scheduled: sagaEvent(ShippingScheduled, { orderId, shipmentId: randomUUID(), trackingNumber: 'TRACK-1' }, 3, correlationId),
      captured: sagaEvent(PaymentCaptured, { orderId, paymentId, amount: TOTAL }, 4, correlationId),
      committed: sagaEvent(InventoryCommitted, { orderId, reservationId }, 5, correlationId),
    };
  }

  async function orderStatus(orderId: string): Promise<string | undefined> {
    return (await dataSource.query(`SELECT status FROM orders WHERE id = $1`, [orderId]))[0]?.status;
  }

  /** Waits until the durable consumer has nothing left to deliver or to have acknowledged. */
  async function consumerDrained(stream: string, consumer: string): Promise<void> {
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(stream, consumer);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 15_000, description: `${consumer} drained` },
    );
  }

  describe('placing an order', () => {
    it('accepts it, stores it PENDING and puts order.placed in the outbox of the same database', async () => {
      const answer = await placeOrder('alice', `key-${randomUUID()}`, ORDER, { 'x-correlation-id': 'checkout-42' });

      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({ orderId: expect.any(String), status: 'PENDING' });
      const { orderId } = answer.body;
      expect(answer.headers.get('location')).toBe(`/api/v1/orders/${orderId}`);

      const [row] = await dataSource.query(`SELECT customer_id, status, timeline FROM orders WHERE id = $1`, [orderId]);
      expect(row).toMatchObject({ customer_id: 'alice', status: 'PENDING' });
      expect(row.timeline.map((entry: { type: string }) => entry.type)).toEqual(['ORDER_PLACED']);

      const outbox = await dataSource.query(`SELECT subject, payload, headers FROM outbox WHERE payload->'data'->>'orderId' = $1`, [orderId]);
      expect(outbox).toHaveLength(1);
      expect(outbox[0].subject).toBe('order.placed.v1');
      expect(outbox[0].payload).toMatchObject({
        type: 'order.placed',
        correlationId: 'checkout-42',
        causationId: null,
        data: { orderId, customerId: 'alice', items: ORDER.items, shippingAddress: ORDER.shippingAddress, paymentToken: 'tok_visa' },
      });
      expect(outbox[0].headers).toEqual({ 'x-correlation-id': 'checkout-42' });
    });

    it('uses the request id as correlation id when the gateway sent none', async () => {
      const answer = await placeOrder('alice', `key-${randomUUID()}`, ORDER, { 'x-request-id': 'req-123' });
      expect(answer.status).toBe(202);
      const [row] = await dataSource.query(`SELECT payload FROM outbox WHERE payload->'data'->>'orderId' = $1`, [answer.body.orderId]);
      expect(row.payload.correlationId).toBe('req-123');
    });

    it('creates one order for ten concurrent requests with the same key and body', async () => {
      const customer = `bob-${randomUUID()}`;
      const key = `key-${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => placeOrder(customer, key)));

      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(202));
      const orderIds = new Set(answers.map((answer) => answer.body.orderId));
      expect(orderIds.size).toBe(1);
      const [orderId] = orderIds;
      expect(new Set(answers.map((answer) => answer.headers.get('location')))).toEqual(new Set([`/api/v1/orders/${orderId}`]));
      expect(await ordersOf(customer)).toBe(1);
      expect(await outboxFor(orderId, 'order.placed.v1')).toBe(1);
      expect(await count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE customer_id = $1`, [customer])).toBe(1);

      const retry = await placeOrder(customer, key);
      expect(retry).toMatchObject({ status: 202, body: { orderId, status: 'PENDING' } });
      expect(await ordersOf(customer)).toBe(1);
    });

    it('refuses the same key with a different body (422) and keeps the first order', async () => {
      const customer = `carol-${randomUUID()}`;
      const key = `key-${randomUUID()}`;
      const first = await placeOrder(customer, key);
      const reused = await placeOrder(customer, key, { ...ORDER, items: [{ sku: 'SKU-MUG', quantity: 1 }] });

      expect(first.status).toBe(202);
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await ordersOf(customer)).toBe(1);
    });

    it('scopes idempotency keys to the customer', async () => {
      const key = `key-${randomUUID()}`;
      const first = await placeOrder(`dave-${randomUUID()}`, key);
      const second = await placeOrder(`erin-${randomUUID()}`, key);
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body.orderId).not.toBe(first.body.orderId);
    });

    const invalidBodies: Array<[string, unknown]> = [
      ['an unknown top-level field', { ...ORDER, coupon: 'FREE' }],
      ['an unknown item field', { ...ORDER, items: [{ sku: 'SKU-TSHIRT', quantity: 1, price: 1 }] }],
      ['an unknown address field', { ...ORDER, shippingAddress: { ...ORDER.shippingAddress, state: 'BE' } }],
      ['an unknown payment field', { ...ORDER, payment: { token: 'tok_visa', cvc: '123' } }],
      ['no items', { ...ORDER, items: [] }],
      ['51 items', { ...ORDER, items: Array.from({ length: 51 }, () => ({ sku: 'SKU-MUG', quantity: 1 })) }],
      ['a zero quantity', { ...ORDER, items: [{ sku: 'SKU-MUG', quantity: 0 }] }],
      ['a malformed SKU', { ...ORDER, items: [{ sku: 'mug', quantity: 1 }] }],
      ['a bad country', { ...ORDER, shippingAddress: { ...ORDER.shippingAddress, country: 'Germany' } }],
      ['no payment', { items: ORDER.items, shippingAddress: ORDER.shippingAddress }],
      ['an array', [ORDER]],
    ];

    it.each(invalidBodies)('answers 400 to a body with %s and writes nothing', async (_label, body) => {
      const before = await tableSizes();
      const answer = await placeOrder('mallory', `key-${randomUUID()}`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(await tableSizes()).toEqual(before);
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['too long', 'k'.repeat(201)],
      ['with forbidden characters', 'key with spaces'],
    ])('answers 400 when the Idempotency-Key is %s and writes nothing', async (_label, key) => {
      const before = await tableSizes();
      const headers: Record<string, string> = key === undefined ? {} : { 'idempotency-key': key };
      const answer = await http('POST', '/internal/orders', { user: 'mallory', body: ORDER, headers });
      expect(answer.status).toBe(400);
      expect(await tableSizes()).toEqual(before);
    });

    it('accepts a 200-character key made of every allowed character', async () => {
      const key = `aZ09_-:.${'x'.repeat(192)}`;
      expect((await placeOrder(`frank-${randomUUID()}`, key)).status).toBe(202);
    });

    it('answers 401 without x-user-id, before looking at the body', async () => {
      const before = await tableSizes();
      const answer = await http('POST', '/internal/orders', { body: { nonsense: true }, headers: { 'idempotency-key': 'k' } });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(await tableSizes()).toEqual(before);
    });
  });

  describe('reading orders', () => {
    it("answers the customer's own order and 404 for anyone else's, a malformed id or an unknown one", async () => {
      const { body } = await placeOrder('grace', `key-${randomUUID()}`);
      const own = await http('GET', `/internal/orders/${body.orderId}`, { user: 'grace' });
      expect(own.status).toBe(200);
      expect(orderViewSchema.strict().parse(own.body)).toMatchObject({
        orderId: body.orderId,
        customerId: 'grace',
        status: 'PENDING',
        items: ORDER.items,
        total: null,
        cancellationReason: null,
        timeline: [{ type: 'ORDER_PLACED', at: own.body.createdAt }],
      });

      for (const [user, id] of [
        ['heidi', body.orderId],
        ['grace', 'not-a-uuid'],
        ['grace', randomUUID()],
      ]) {
        const answer = await http('GET', `/internal/orders/${id}`, { user });
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe('ORDER_NOT_FOUND');
      }
      expect((await http('GET', `/internal/orders/${body.orderId}`)).status).toBe(401);
    });

    it("pages through the customer's orders newest first", async () => {
      const customer = `ivan-${randomUUID()}`;
      const placed: string[] = [];
      for (let index = 0; index < 3; index++) placed.push((await placeOrder(customer, `key-${index}`)).body.orderId);
      await placeOrder(`judy-${randomUUID()}`, 'key-0');

      const first = await http('GET', '/internal/orders?limit=2', { user: customer });
      expect(first.status).toBe(200);
      expect(orderPageSchema.parse(first.body).items.map((order) => order.orderId)).toEqual([placed[2], placed[1]]);
      expect(first.body.nextCursor).toEqual(expect.any(String));

      const second = await http('GET', `/internal/orders?limit=2&cursor=${first.body.nextCursor}`, { user: customer });
      expect(second.body.items.map((order: { orderId: string }) => order.orderId)).toEqual([placed[0]]);
      expect(second.body.nextCursor).toBeNull();

      const all = await http('GET', '/internal/orders', { user: customer });
      expect(all.body.items).toHaveLength(3);
      expect(all.body.nextCursor).toBeNull();
    });

    it.each([
      ['a cursor no page returned', 'cursor=bm9wZQ'],
      ['limit 0', 'limit=0'],
      ['limit 101', 'limit=101'],
      ['a non-numeric limit', 'limit=many'],
    ])('answers 400 to %s', async (_label, query) => {
      const answer = await http('GET', `/internal/orders?${query}`, { user: 'ivan' });
      expect(answer.status).toBe(400);
    });

    it('answers the same queries over NATS for the BFFs', async () => {
      const customer = `karl-${randomUUID()}`;
      const { body } = await placeOrder(customer, `key-${randomUUID()}`);
      const queries = app.get(QueryClient);

      await expect(queries.request(GetOrder, { orderId: body.orderId, customerId: customer })).resolves.toMatchObject({ orderId: body.orderId, status: 'PENDING' });
      await expect(queries.request(GetOrder, { orderId: body.orderId, customerId: 'someone-else' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const page = await queries.request(ListOrders, { customerId: customer, limit: 10 });
      expect(page.items.map((order) => order.orderId)).toEqual([body.orderId]);
      await expect(queries.request(ListOrders, { customerId: customer, limit: 10, cursor: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    });
  });

  describe('the saga', () => {
    it('confirms the order once, with its timeline in order, even when an event is delivered twice', async () => {
      const correlationId = `checkout-${randomUUID()}`;
      const { body } = await placeOrder('laura', `key-${randomUUID()}`, ORDER, { 'x-correlation-id': correlationId });
      const orderId: string = body.orderId;
      const events = happyPath(orderId, correlationId);

      await publish(events.reserved);
      await publish(events.authorized);
      await publish(events.scheduled);
      await publish(events.captured);
      // Published all at once: each event type has its own consumer, so they are processed in any order.
      // A different Nats-Msg-Id gets past JetStream's de-duplication, as a re-publish after its window would.
      await publish(events.captured, `${events.captured.id}-again`);
      await publish(events.committed);

      await waitFor(async () => (await orderStatus(orderId)) === 'CONFIRMED', { timeoutMs: 15_000, description: 'order confirmed' });
      await consumerDrained('PAYMENT', 'order-service-payment-captured');

      const view = (await http('GET', `/internal/orders/${orderId}`, { user: 'laura' })).body;
      expect(view).toMatchObject({ status: 'CONFIRMED', total: TOTAL, cancellationReason: null });
      expect(view.timeline.map((entry: { type: string }) => entry.type)).toEqual([
        'ORDER_PLACED',
        'INVENTORY_RESERVED',
        'PAYMENT_AUTHORIZED',
        'SHIPMENT_SCHEDULED',
        'PAYMENT_CAPTURED',
        'INVENTORY_COMMITTED',
        'ORDER_CONFIRMED',
      ]);
      expect(view.timeline.slice(1, 6).map((entry: { at: string }) => entry.at)).toEqual(
        [events.reserved, events.authorized, events.scheduled, events.captured, events.committed].map((event) => new Date(event.occurredAt).toISOString()),
      );

      expect(await outboxFor(orderId, 'order.confirmed.v1')).toBe(1);
      const [confirmed] = await dataSource.query(`SELECT payload FROM outbox WHERE subject = 'order.confirmed.v1' AND payload->'data'->>'orderId' = $1`, [orderId]);
      expect(confirmed.payload).toMatchObject({ data: { orderId, total: TOTAL }, correlationId, causationId: expect.any(String) });
      // Whichever of the required steps was processed last confirmed the order.
      expect([events.reserved.id, events.captured.id, events.committed.id]).toContain(confirmed.payload.causationId);
      expect(await count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [events.captured.id])).toBe(1);
    });

    it('cancels when stock is rejected and ignores later steps', async () => {
      const { body } = await placeOrder('mike', `key-${randomUUID()}`);
      const orderId: string = body.orderId;
      await publish(sagaEvent(InventoryRejected, { orderId, reason: 'OUT_OF_STOCK', skus: ['SKU-TSHIRT'] }, 1));
      await waitFor(async () => (await orderStatus(orderId)) === 'CANCELLED', { timeoutMs: 15_000, description: 'order cancelled' });

      const late = happyPath(orderId).authorized;
      await publish(late);
      await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [late.id])) === 1, {
        timeoutMs: 15_000,
        description: 'late event processed',
      });

      const view = (await http('GET', `/internal/orders/${orderId}`, { user: 'mike' })).body;
      expect(view).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK', total: null });
      expect(view.timeline.map((entry: { type: string }) => entry.type)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
      const [cancelled] = await dataSource.query(`SELECT payload FROM outbox WHERE subject = 'order.cancelled.v1' AND payload->'data'->>'orderId' = $1`, [orderId]);
      expect(cancelled.payload.data).toEqual({ orderId, reason: 'OUT_OF_STOCK' });
      expect(await outboxFor(orderId, 'order.cancelled.v1')).toBe(1);
    });

    it('keeps redelivering an event for an order it does not know until the order exists', async () => {
      const orderId = randomUUID();
      const early = happyPath(orderId).authorized;
      await publish(early);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [early.id])).toBe(0);

      const order = Order.place({ id: orderId, customerId: 'nina', items: ORDER.items, shippingAddress: ORDER.shippingAddress, paymentToken: 'tok', at: new Date() });
      await app.get(MessageTransactions).run((tx) => app.get(OrderRepository).insert(tx, order));

      await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [early.id])) === 1, {
        timeoutMs: 20_000,
        description: 'event processed once the order exists',
      });
      const view = (await http('GET', `/internal/orders/${orderId}`, { user: 'nina' })).body;
      expect(view.timeline.map((entry: { type: string }) => entry.type)).toEqual(['ORDER_PLACED', 'PAYMENT_AUTHORIZED']);
    });
  });
});
