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

  it('refuses a new order with 503 and Retry-After while the sagas are at capacity, stores nothing for it, and admits again once one ends', async () => {
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
      error: { code: 'AT_CAPACITY', message: expect.stringContaining('nothing was stored'), details: { retryAfterSeconds: 1 } },
      requestId: expect.any(String),
    });
    expect(await stored()).toEqual(before);
    expect(await service.sample('orders_placements_refused_total', { reason: 'at_capacity' })).toBe(1);
    expect(await service.sample('orders_sagas_in_flight', {})).toBe(MAX_SAGAS_IN_FLIGHT);

    // A retry of an accepted order writes nothing, so it still gets its first answer.
    const retried = await service.placeOrder('carol', keys[0]);
    expect(retried.status).toBe(202);
    expect(retried.body.orderId).toBe(accepted[0].body.orderId);

    expect((await service.http('POST', `/internal/orders/${accepted[0].body.orderId}/cancel`, { user: 'carol' })).status).toBe(202);
    const key = `key-${randomUUID()}`;
    let admittedOrderId = '';
    await waitFor(
      async () => {
        const answer = await service.placeOrder('carol', key);
        if (answer.status === 202) admittedOrderId = answer.body.orderId;
        return answer.status === 202;
      },
      { timeoutMs: 5_000, description: 'a placement admitted once a saga ended' },
    );
    expect(await service.orderStatus(admittedOrderId)).toBe('PENDING');
    expect(await service.sample('orders_placements_refused_total', { reason: 'at_capacity' })).toBeGreaterThanOrEqual(1);
  });
});
