import { CommandBus } from '@nestjs/cqrs';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { PurgeIdempotencyKeysCommand } from '../src/application/purge-idempotency-keys/purge-idempotency-keys.command';
import { ORDER, OrderServiceUnderTest } from './order-service.harness';

// One minute stands in for the 24 hours of production, so that a test can age keys past it.
const KEY_TTL_MS = 60_000;

describe('how long order-service keeps Idempotency-Keys, on real Postgres', () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    service = await OrderServiceUnderTest.start({ IDEMPOTENCY_KEY_TTL_MS: KEY_TTL_MS, IDEMPOTENCY_PURGE_INTERVAL_MS: 100 });
  }, 60_000);

  afterAll(() => service?.stop());

  const age = (customerId: string, key: string, ageMs: number) =>
    service.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - make_interval(secs => $3) WHERE customer_id = $1 AND key = $2`, [customerId, key, ageMs / 1000]);
  const keyExists = async (customerId: string, key: string) =>
    (await service.count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE customer_id = $1 AND key = $2`, [customerId, key])) === 1;

  it('answers a retry within the time to live with the first order, and forgets the key after it, keeping the order', async () => {
    const customer = `keeper-${randomUUID()}`;
    const [expired, recent] = [`expired-${randomUUID()}`, `recent-${randomUUID()}`];
    const first = await service.placeOrder(customer, expired);
    const second = await service.placeOrder(customer, recent);
    expect([first.status, second.status]).toEqual([202, 202]);
    await age(customer, expired, KEY_TTL_MS + 5_000);
    await age(customer, recent, KEY_TTL_MS - 10_000);

    await waitFor(async () => !(await keyExists(customer, expired)), { timeoutMs: 10_000, description: 'the expired key forgotten' });
    expect(await keyExists(customer, recent)).toBe(true);
    expect(await service.orderStatus(first.body.orderId)).toBe('PENDING');

    const retried = await service.placeOrder(customer, recent);
    expect(retried).toMatchObject({ status: 202, body: { orderId: second.body.orderId } });
    // A forgotten key names a new attempt: a new order, whatever its body.
    const reused = await service.placeOrder(customer, expired, { ...ORDER, items: [{ sku: 'SKU-MUG', quantity: 1 }] });
    expect(reused.status).toBe(202);
    expect(reused.body.orderId).not.toBe(first.body.orderId);
  });

  it('purges a backlog exactly once when replicas purge at the same time', async () => {
    const customer = `bulk-${randomUUID()}`;
    const placed = await service.placeOrder(customer, `anchor-${randomUUID()}`);
    await service.dataSource.query(
      `INSERT INTO idempotency_keys (customer_id, key, request_hash, order_id, created_at)
       SELECT $1, 'old-' || n, 'hash', $2, now() - interval '2 minutes' FROM generate_series(1, 2500) AS n`,
      [customer, placed.body.orderId],
    );
    const commands = service.app.get(CommandBus);
    const purged = await Promise.all([1, 2, 3].map(() => commands.execute(new PurgeIdempotencyKeysCommand(1_000))));

    await waitFor(async () => (await service.count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE customer_id = $1`, [customer])) === 1, {
      timeoutMs: 10_000,
      description: 'the backlog purged',
    });
    expect(purged.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(2500);
    expect(purged.every((count) => count <= 1_000)).toBe(true);
  });
});
