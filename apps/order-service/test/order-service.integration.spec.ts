import {
  GetOrder,
  InventoryRejected,
  InventoryReleased,
  ListOrders,
  orderPageSchema,
  orderViewSchema,
  PaymentFailed,
  PaymentRefunded,
  ShippingCancelled,
  ShippingFailed,
} from '@orders/contracts';
import { LocalCallerTokens } from '@orders/caller-tokens';
import { QueryClient } from '@orders/messaging';
import { MessageTransactions } from '@orders/persistence';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { OrderRepository } from '../src/application/order.repository';
import { Order } from '../src/domain/order';
import { CALLERS, happyPath, ORDER, OrderServiceUnderTest, sagaEvent, TOTAL } from './order-service.harness';

jest.setTimeout(30_000);

describe('order-service on real Postgres and NATS JetStream', () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    service = await OrderServiceUnderTest.start();
  }, 60_000);

  afterAll(() => service?.stop());

  const ordersOf = (customerId: string) => service.count(`SELECT count(*)::int AS n FROM orders WHERE customer_id = $1`, [customerId]);
  const types = (view: { timeline: Array<{ type: string }> }) => view.timeline.map((entry) => entry.type);
  const tableSizes = async () => ({
    orders: await service.count(`SELECT count(*)::int AS n FROM orders`),
    keys: await service.count(`SELECT count(*)::int AS n FROM idempotency_keys`),
    outbox: await service.count(`SELECT count(*)::int AS n FROM outbox`),
  });

  describe('placing an order', () => {
    it('accepts it, stores it PENDING and puts order.placed in the outbox of the same database', async () => {
      const answer = await service.placeOrder('alice', `key-${randomUUID()}`, ORDER, { 'x-correlation-id': 'checkout-42' });

      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({ orderId: expect.any(String), status: 'PENDING' });
      const { orderId } = answer.body;
      // The public path is the gateway's to give.
      expect(answer.headers.get('location')).toBeNull();

      const [row] = await service.dataSource.query(`SELECT customer_id, status, timeline FROM orders WHERE id = $1`, [orderId]);
      expect(row).toMatchObject({ customer_id: 'alice', status: 'PENDING' });
      expect(row.timeline.map((entry: { type: string }) => entry.type)).toEqual(['ORDER_PLACED']);

      const outbox = await service.dataSource.query(`SELECT subject, payload, headers FROM outbox WHERE payload->'data'->>'orderId' = $1`, [orderId]);
      expect(outbox).toHaveLength(1);
      expect(outbox[0].subject).toBe('order.placed.v1');
      expect(outbox[0].payload).toMatchObject({
        type: 'order.placed',
        correlationId: 'checkout-42',
        causationId: null,
        data: { orderId, customerId: 'alice', items: ORDER.items, shippingAddress: ORDER.shippingAddress, paymentToken: 'tok_visa' },
      });
      // The trace context of the placement travels with the event.
      expect(outbox[0].headers).toEqual({ 'x-correlation-id': 'checkout-42', traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/) });
    });

    it('uses the request id as correlation id when the gateway sent none', async () => {
      const answer = await service.placeOrder('alice', `key-${randomUUID()}`, ORDER, { 'x-request-id': 'req-123' });
      expect(answer.status).toBe(202);
      const [row] = await service.dataSource.query(`SELECT payload FROM outbox WHERE payload->'data'->>'orderId' = $1`, [answer.body.orderId]);
      expect(row.payload.correlationId).toBe('req-123');
    });

    it('creates one order for ten concurrent requests with the same key and body', async () => {
      const customer = `bob-${randomUUID()}`;
      const key = `key-${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => service.placeOrder(customer, key)));

      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(202));
      const orderIds = new Set(answers.map((answer) => answer.body.orderId));
      expect(orderIds.size).toBe(1);
      const [orderId] = orderIds;
      expect(await ordersOf(customer)).toBe(1);
      expect(await service.outboxFor(orderId, 'order.placed.v1')).toBe(1);
      expect(await service.count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE customer_id = $1`, [customer])).toBe(1);

      const retry = await service.placeOrder(customer, key);
      expect(retry).toMatchObject({ status: 202, body: { orderId, status: 'PENDING' } });
      expect(await ordersOf(customer)).toBe(1);
    });

    it('refuses the same key with a different body (422) and keeps the first order', async () => {
      const customer = `carol-${randomUUID()}`;
      const key = `key-${randomUUID()}`;
      const first = await service.placeOrder(customer, key);
      const reused = await service.placeOrder(customer, key, { ...ORDER, items: [{ sku: 'SKU-MUG', quantity: 1 }] });

      expect(first.status).toBe(202);
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await ordersOf(customer)).toBe(1);
    });

    it('scopes idempotency keys to the customer', async () => {
      const key = `key-${randomUUID()}`;
      const first = await service.placeOrder(`dave-${randomUUID()}`, key);
      const second = await service.placeOrder(`erin-${randomUUID()}`, key);
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
      const answer = await service.placeOrder('mallory', `key-${randomUUID()}`, body);
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
      const answer = await service.http('POST', '/internal/orders', { user: 'mallory', body: ORDER, headers });
      expect(answer.status).toBe(400);
      expect(await tableSizes()).toEqual(before);
    });

    it('accepts a 200-character key made of every allowed character', async () => {
      const key = `aZ09_-:.${'x'.repeat(192)}`;
      expect((await service.placeOrder(`frank-${randomUUID()}`, key)).status).toBe(202);
    });

    it('answers 401 without a caller token, before looking at the body', async () => {
      const before = await tableSizes();
      const answer = await service.http('POST', '/internal/orders', { body: { nonsense: true }, headers: { 'idempotency-key': 'k' } });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(await tableSizes()).toEqual(before);
    });
  });

  describe('reading orders', () => {
    it("answers the customer's own order and 404 for anyone else's, a malformed id or an unknown one", async () => {
      const { body } = await service.placeOrder('grace', `key-${randomUUID()}`);
      const own = await service.http('GET', `/internal/orders/${body.orderId}`, { user: 'grace' });
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
        const answer = await service.http('GET', `/internal/orders/${id}`, { user });
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe('ORDER_NOT_FOUND');
      }
      expect((await service.http('GET', `/internal/orders/${body.orderId}`)).status).toBe(401);
    });

    it("pages through the customer's orders newest first", async () => {
      const customer = `ivan-${randomUUID()}`;
      const placed: string[] = [];
      for (let index = 0; index < 3; index++) placed.push((await service.placeOrder(customer, `key-${index}`)).body.orderId);
      await service.placeOrder(`judy-${randomUUID()}`, 'key-0');

      const first = await service.http('GET', '/internal/orders?limit=2', { user: customer });
      expect(first.status).toBe(200);
      expect(orderPageSchema.parse(first.body).items.map((order) => order.orderId)).toEqual([placed[2], placed[1]]);
      expect(first.body.nextCursor).toEqual(expect.any(String));

      const second = await service.http('GET', `/internal/orders?limit=2&cursor=${first.body.nextCursor}`, { user: customer });
      expect(second.body.items.map((order: { orderId: string }) => order.orderId)).toEqual([placed[0]]);
      expect(second.body.nextCursor).toBeNull();

      const all = await service.http('GET', '/internal/orders', { user: customer });
      expect(all.body.items).toHaveLength(3);
      expect(all.body.nextCursor).toBeNull();
    });

    it.each([
      ['a cursor no page returned', 'cursor=bm9wZQ'],
      ['a cursor from before PostgreSQL’s earliest time', `cursor=${Buffer.from(JSON.stringify(['-010000-01-01T00:00:00.000Z', randomUUID()])).toString('base64url')}`],
      ['limit 0', 'limit=0'],
      ['limit 101', 'limit=101'],
      ['a non-numeric limit', 'limit=many'],
    ])('answers 400 to %s', async (_label, query) => {
      const answer = await service.http('GET', `/internal/orders?${query}`, { user: 'ivan' });
      expect(answer.status).toBe(400);
    });

    it('answers the same queries over NATS for the BFFs', async () => {
      const customer = `karl-${randomUUID()}`;
      const { body } = await service.placeOrder(customer, `key-${randomUUID()}`);
      const queries = service.app.get(QueryClient);

      await expect(queries.request(GetOrder, { orderId: body.orderId }, CALLERS.askedBy(customer))).resolves.toMatchObject({ orderId: body.orderId, status: 'PENDING' });
      await expect(queries.request(GetOrder, { orderId: body.orderId }, CALLERS.askedBy('someone-else'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const page = await queries.request(ListOrders, { limit: 10 }, CALLERS.askedBy(customer));
      expect(page.items.map((order) => order.orderId)).toEqual([body.orderId]);
      await expect(queries.request(ListOrders, { limit: 10, cursor: 'garbage' }, CALLERS.askedBy(customer))).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });
  });

  describe('who may ask', () => {
    const someoneElsesKey = new LocalCallerTokens();

    it('ignores identity headers: only the caller token says who asks, over HTTP and over NATS', async () => {
      const owner = `olga-${randomUUID()}`;
      const { body } = await service.placeOrder(owner, `key-${randomUUID()}`);
      const forgedHeaders = { 'x-user-id': owner, 'x-user-roles': 'customer' };

      expect((await service.http('GET', `/internal/orders/${body.orderId}`, { headers: forgedHeaders })).status).toBe(401);
      expect((await service.http('GET', `/internal/orders/${body.orderId}`, { user: 'mallory', headers: forgedHeaders })).status).toBe(404);
      const forgedToken = { ...forgedHeaders, authorization: someoneElsesKey.authorizationFor(owner) };
      expect((await service.http('GET', `/internal/orders/${body.orderId}`, { headers: forgedToken })).status).toBe(401);
      expect((await service.http('GET', `/internal/orders/${body.orderId}`, { user: owner })).status).toBe(200);

      const queries = service.app.get(QueryClient);
      const chosenByTheAsker = { orderId: body.orderId, customerId: owner } as { orderId: string };
      await expect(queries.request(GetOrder, chosenByTheAsker, CALLERS.askedBy('mallory'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(queries.request(GetOrder, chosenByTheAsker)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(queries.request(GetOrder, chosenByTheAsker, { headers: { authorization: someoneElsesKey.authorizationFor(owner) } })).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      await expect(queries.request(ListOrders, { limit: 10 }, { headers: forgedHeaders })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('keeps probes and /metrics open to the platform without a token', async () => {
      for (const path of ['/health/live', '/health/ready', '/metrics']) expect((await service.http('GET', path)).status).toBe(200);
      expect((await service.http('GET', '/internal/nothing-here')).status).toBe(401);
    });
  });

  describe('the saga', () => {
    it('confirms the order once, with its timeline in order, even when an event is delivered twice', async () => {
      const correlationId = `checkout-${randomUUID()}`;
      const confirmedBefore = await service.sample('orders_saga_outcomes_total', { outcome: 'confirmed', reason: 'none' });
      const { body } = await service.placeOrder('laura', `key-${randomUUID()}`, ORDER, { 'x-correlation-id': correlationId });
      const orderId: string = body.orderId;
      const events = happyPath(orderId, correlationId);

      await service.publish(events.reserved);
      await service.publish(events.authorized);
      await service.publish(events.scheduled);
      await service.publish(events.captured);
      // Published all at once: each event type has its own consumer, so they are processed in any order.
      // A different Nats-Msg-Id gets past JetStream's de-duplication, as a re-publish after its window would.
      await service.publish(events.captured, `${events.captured.id}-again`);
      await service.publish(events.committed);

      await waitFor(async () => (await service.orderStatus(orderId)) === 'CONFIRMED', { timeoutMs: 15_000, description: 'order confirmed' });
      // Confirming needs only three of the steps; the others' handlers may still be running.
      await service.handled(...Object.values(events));

      const view = (await service.http('GET', `/internal/orders/${orderId}`, { user: 'laura' })).body;
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

      expect(await service.outboxFor(orderId, 'order.confirmed.v1')).toBe(1);
      const [confirmed] = await service.dataSource.query(`SELECT payload FROM outbox WHERE subject = 'order.confirmed.v1' AND payload->'data'->>'orderId' = $1`, [orderId]);
      expect(confirmed.payload).toMatchObject({ data: { orderId, total: TOTAL }, correlationId, causationId: expect.any(String) });
      // Whichever of the required steps was processed last confirmed the order.
      expect([events.reserved.id, events.captured.id, events.committed.id]).toContain(confirmed.payload.causationId);
      expect(await service.count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [events.captured.id])).toBe(1);
      // The saga ended once, however often its last step was reported.
      expect(await service.sample('orders_saga_outcomes_total', { outcome: 'confirmed', reason: 'none' })).toBe(confirmedBefore + 1);
      expect(await service.sample('orders_saga_duration_seconds_count', { outcome: 'confirmed' })).toBeGreaterThanOrEqual(confirmedBefore + 1);
    });

    it('cancels when stock is rejected and ignores later steps', async () => {
      const rejectedBefore = await service.sample('orders_saga_outcomes_total', { outcome: 'cancelled', reason: 'OUT_OF_STOCK' });
      const { body } = await service.placeOrder('mike', `key-${randomUUID()}`);
      const orderId: string = body.orderId;
      const rejected = sagaEvent(InventoryRejected, { orderId, reason: 'OUT_OF_STOCK', skus: ['SKU-TSHIRT'] }, 1);
      await service.publish(rejected);
      await waitFor(async () => (await service.orderStatus(orderId)) === 'CANCELLED', { timeoutMs: 15_000, description: 'order cancelled' });

      const late = happyPath(orderId).authorized;
      await service.publish(late);
      await service.processed(late);
      await service.handled(late, rejected);

      const view = (await service.http('GET', `/internal/orders/${orderId}`, { user: 'mike' })).body;
      expect(view).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK', total: null });
      expect(view.timeline.map((entry: { type: string }) => entry.type)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
      const [cancelled] = await service.dataSource.query(`SELECT payload FROM outbox WHERE subject = 'order.cancelled.v1' AND payload->'data'->>'orderId' = $1`, [orderId]);
      expect(cancelled.payload.data).toEqual({ orderId, reason: 'OUT_OF_STOCK' });
      expect(await service.outboxFor(orderId, 'order.cancelled.v1')).toBe(1);
      expect(await service.sample('orders_saga_outcomes_total', { outcome: 'cancelled', reason: 'OUT_OF_STOCK' })).toBe(rejectedBefore + 1);
    });

    it.each([
      ['the carrier does not serve the destination', 'UNSUPPORTED_DESTINATION', 'SHIPPING_UNAVAILABLE'],
      ['the carrier refuses the address', 'ADDRESS_REJECTED', 'ADDRESS_REJECTED'],
    ] as const)('cancels when %s, for the reason the customer is told', async (_case, shippingReason, cancellationReason) => {
      const { body } = await service.placeOrder('nina', `key-${randomUUID()}`);
      const orderId: string = body.orderId;
      await service.publish(sagaEvent(ShippingFailed, { orderId, shipmentId: randomUUID(), reason: shippingReason }, 1));
      await waitFor(async () => (await service.orderStatus(orderId)) === 'CANCELLED', { timeoutMs: 15_000, description: 'order cancelled' });

      const [cancelled] = await service.dataSource.query(`SELECT payload FROM outbox WHERE subject = 'order.cancelled.v1' AND payload->'data'->>'orderId' = $1`, [orderId]);
      expect(cancelled.payload.data).toEqual({ orderId, reason: cancellationReason });
    });

    it('keeps redelivering an event for an order it does not know until the order exists', async () => {
      const orderId = randomUUID();
      const early = happyPath(orderId).authorized;
      await service.publish(early);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await service.count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [early.id])).toBe(0);

      const order = Order.place({ id: orderId, customerId: 'nina', items: ORDER.items, shippingAddress: ORDER.shippingAddress, paymentToken: 'tok', at: new Date() });
      await service.app.get(MessageTransactions).run((tx) => service.app.get(OrderRepository).insert(tx, order));

      await waitFor(async () => (await service.count(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [early.id])) === 1, {
        timeoutMs: 20_000,
        description: 'event processed once the order exists',
      });
      const view = (await service.http('GET', `/internal/orders/${orderId}`, { user: 'nina' })).body;
      expect(view.timeline.map((entry: { type: string }) => entry.type)).toEqual(['ORDER_PLACED', 'PAYMENT_AUTHORIZED']);
    });
  });

  describe('customer cancel', () => {
    const cancel = (user: string, orderId: string, headers: Record<string, string> = {}) => service.http('POST', `/internal/orders/${orderId}/cancel`, { user, headers });
    const CANCELLED = { status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED' };

    it('cancels a PENDING order and publishes order.cancelled once, however often and concurrently it is asked', async () => {
      const orderId: string = (await service.placeOrder('olivia', `key-${randomUUID()}`)).body.orderId;

      for (const [user, id] of [
        ['peggy', orderId],
        ['olivia', 'not-a-uuid'],
        ['olivia', randomUUID()],
      ]) {
        const answer = await cancel(user, id);
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe('ORDER_NOT_FOUND');
      }
      expect((await service.http('POST', `/internal/orders/${orderId}/cancel`)).status).toBe(401);
      expect(await service.orderStatus(orderId)).toBe('PENDING');

      const answers = await Promise.all(Array.from({ length: 5 }, () => cancel('olivia', orderId, { 'x-correlation-id': 'cancel-7' })));
      const again = await cancel('olivia', orderId);
      for (const answer of [...answers, again]) {
        expect(answer.status).toBe(202);
        expect(answer.body).toEqual({ orderId, ...CANCELLED });
      }

      const view = await service.view(orderId, 'olivia');
      expect(view).toMatchObject(CANCELLED);
      expect(types(view)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
      expect(await service.outboxFor(orderId, 'order.cancelled.v1')).toBe(1);
      const streamed = await service.streamed('ORDER', 'order.cancelled.v1', orderId);
      expect(streamed).toHaveLength(1);
      expect(streamed[0]).toMatchObject({ data: { orderId, reason: 'CUSTOMER_CANCELLED' }, correlationId: 'cancel-7' });
    });

    it('cancels a CONFIRMED order, which a late saga failure cannot, and records the compensations', async () => {
      const orderId: string = (await service.placeOrder('quentin', `key-${randomUUID()}`)).body.orderId;
      // Steps a few milliseconds apart: over before the cancellation, which happens now.
      const events = happyPath(orderId, undefined, 0.001);
      for (const event of Object.values(events)) await service.publish(event);
      await waitFor(async () => (await service.orderStatus(orderId)) === 'CONFIRMED', { timeoutMs: 15_000, description: 'order confirmed' });

      const lateFailure = sagaEvent(ShippingFailed, { orderId, shipmentId: randomUUID(), reason: 'CARRIER_REJECTED' }, 0);
      await service.publish(lateFailure);
      await service.processed(lateFailure);
      expect(await service.orderStatus(orderId)).toBe('CONFIRMED');

      const answer = await cancel('quentin', orderId);
      expect(answer).toMatchObject({ status: 202, body: { orderId, ...CANCELLED } });
      const compensations = [
        sagaEvent(InventoryReleased, { orderId, reservationId: events.reserved.data.reservationId, reason: 'RESTOCKED' }, 0.5),
        sagaEvent(PaymentRefunded, { orderId, paymentId: events.captured.data.paymentId, amount: TOTAL }, 0.6),
        sagaEvent(ShippingCancelled, { orderId, shipmentId: events.scheduled.data.shipmentId }, 0.7),
      ];
      for (const compensation of compensations) {
        await service.publish(compensation);
        // Twice under another message id: recorded once all the same.
        await service.publish(compensation, `${compensation.id}-again`);
      }
      for (const compensation of compensations) await service.processed(compensation);

      const view = await service.view(orderId, 'quentin');
      expect(view).toMatchObject({ ...CANCELLED, total: TOTAL });
      expect(types(view).slice(-5)).toEqual(['ORDER_CONFIRMED', 'ORDER_CANCELLED', 'INVENTORY_RESTOCKED', 'PAYMENT_REFUNDED', 'SHIPMENT_CANCELLED']);
      expect(await service.outboxFor(orderId, 'order.cancelled.v1')).toBe(1);
      expect(await service.streamed('ORDER', 'order.cancelled.v1', orderId)).toEqual([expect.objectContaining({ data: { orderId, reason: 'CUSTOMER_CANCELLED' } })]);
    });

    it('refuses (409) to cancel an order the saga cancelled for another reason, and records the release', async () => {
      const orderId: string = (await service.placeOrder('rupert', `key-${randomUUID()}`)).body.orderId;
      const { reserved } = happyPath(orderId);
      // Each event type has its own consumer: the reservation is recorded first only if it is handled first.
      await service.publish(reserved);
      await service.processed(reserved);
      await service.publish(sagaEvent(PaymentFailed, { orderId, paymentId: randomUUID(), reason: 'DECLINED' }, 2));
      await waitFor(async () => (await service.orderStatus(orderId)) === 'CANCELLED', { timeoutMs: 15_000, description: 'order cancelled' });
      const released = sagaEvent(InventoryReleased, { orderId, reservationId: reserved.data.reservationId, reason: 'COMPENSATION' }, 3);
      await service.publish(released);
      await service.processed(released);

      const answer = await cancel('rupert', orderId);
      expect(answer.status).toBe(409);
      expect(answer.body.error).toEqual({ code: 'ORDER_ALREADY_CANCELLED', message: expect.any(String), details: { cancellationReason: 'PAYMENT_DECLINED' } });

      const view = await service.view(orderId, 'rupert');
      expect(view).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
      expect(types(view)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'ORDER_CANCELLED', 'INVENTORY_RELEASED']);
      expect(await service.outboxFor(orderId, 'order.cancelled.v1')).toBe(1);
    });
  });

  describe('an expired reservation', () => {
    it('cancels the PENDING order TIMED_OUT', async () => {
      const orderId: string = (await service.placeOrder('sybil', `key-${randomUUID()}`)).body.orderId;
      const { reserved, authorized } = happyPath(orderId);
      await service.publish(reserved);
      await service.processed(reserved);
      const expired = sagaEvent(InventoryReleased, { orderId, reservationId: reserved.data.reservationId, reason: 'EXPIRED' }, 2);
      await service.publish(expired);
      await waitFor(async () => (await service.orderStatus(orderId)) === 'CANCELLED', { timeoutMs: 15_000, description: 'order cancelled' });
      await service.publish(authorized);
      await service.processed(authorized);

      const view = await service.view(orderId, 'sybil');
      expect(view).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMED_OUT' });
      expect(types(view)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'ORDER_CANCELLED']);
      expect(await service.streamed('ORDER', 'order.cancelled.v1', orderId)).toEqual([
        expect.objectContaining({ data: { orderId, reason: 'TIMED_OUT' }, causationId: expired.id }),
      ]);
    });
  });
});
