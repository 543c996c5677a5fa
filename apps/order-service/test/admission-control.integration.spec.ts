import { MessageTransactions } from '@orders/persistence';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { OrderRepository } from '../src/application/order.repository';
import { Order } from '../src/domain/order';
import { ORDER, OrderServiceUnderTest } from './order-service.harness';

jest.setTimeout(30_000);

const MAX_SAGAS_IN_FLIGHT = 3;

describe('admission control of order-service on real Postgres and NATS JetStream', () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    // Nothing answers the sagas here, so every accepted order stays running until it is cancelled.
    service = await OrderServiceUnderTest.start({ ADMISSION_MAX_SAGAS_IN_FLIGHT: MAX_SAGAS_IN_FLIGHT });
  }, 60_000);

  afterAll(() => service?.stop());

  const stored = async () => ({
    orders: await service.count(`SELECT count(*)::int AS n FROM orders`),
    keys: await service.count(`SELECT count(*)::int AS n FROM idempotency_keys`),
    outbox: await service.count(`SELECT count(*)::int AS n FROM outbox`),
  });

  it('refuses placements with 503 and Retry-After while the sagas are at capacity, without storing anything, and admits again once one ends', async () => {
    // Stuck sagas placed before the admission window are the deadline watchdog's, and do not count.
    const stuck = Order.place({
      id: randomUUID(),
      customerId: 'carol',
      items: ORDER.items,
      shippingAddress: ORDER.shippingAddress,
      paymentToken: 'tok_visa',
      at: new Date(Date.now() - 120_000),
    });
    await service.app.get(MessageTransactions).run((tx) => service.app.get(OrderRepository).insert(tx, stuck));

    const keys = Array.from({ length: MAX_SAGAS_IN_FLIGHT }, () => `key-${randomUUID()}`);
    const accepted = [];
    for (const key of keys) accepted.push(await service.placeOrder('carol', key));
    expect(accepted.map((answer) => answer.status)).toEqual([202, 202, 202]);
    const before = await stored();

    const refused = await service.placeOrder('carol', `key-${randomUUID()}`);

    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toEqual({
      error: { code: 'AT_CAPACITY', message: expect.stringContaining('not processed'), details: { retryAfterSeconds: 1 } },
      requestId: expect.any(String),
    });
    expect(await stored()).toEqual(before);
    expect(await service.sample('orders_placements_refused_total', { reason: 'at_capacity' })).toBe(1);
    expect(await service.sample('orders_sagas_in_flight', {})).toBe(MAX_SAGAS_IN_FLIGHT);

    // Refusing does not touch the database, so a retry of an accepted order waits for capacity too.
    expect((await service.placeOrder('carol', keys[0])).status).toBe(503);

    expect((await service.http('POST', `/internal/orders/${accepted[0].body.orderId}/cancel`, { user: 'carol' })).status).toBe(202);
    const admitted = async (key: string) => {
      let answer = await service.placeOrder('carol', key);
      await waitFor(async () => (answer = await service.placeOrder('carol', key)).status === 202, { timeoutMs: 5_000, description: 'a placement admitted once a saga ended' });
      return answer.body.orderId as string;
    };
    // Once admitted, the retry gets its first answer, and a new order is stored.
    expect(await admitted(keys[1])).toBe(accepted[1].body.orderId);
    const admittedOrderId = await admitted(`key-${randomUUID()}`);
    expect(await service.orderStatus(admittedOrderId)).toBe('PENDING');
    expect(await service.sample('orders_placements_refused_total', { reason: 'at_capacity' })).toBeGreaterThanOrEqual(1);
  });
});
