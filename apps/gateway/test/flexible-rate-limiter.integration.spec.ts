import { createTestDatabase, TestDatabase } from '@orders/testing';
import { Client } from 'pg';
import { RateLimitBucket, RateLimitPolicy } from '../src/application/rate-limiter';
import { FlexibleRateLimiter, RATE_LIMIT_TABLE } from '../src/infrastructure/flexible-rate-limiter';

const POLICIES: Record<RateLimitBucket, RateLimitPolicy> = {
  api: { points: 3, durationSeconds: 60 },
  login: { points: 2, durationSeconds: 60 },
  orders: { points: 1, durationSeconds: 1 },
};

describe('FlexibleRateLimiter', () => {
  const limiters: FlexibleRateLimiter[] = [];
  const databases: TestDatabase[] = [];

  async function limiter(postgresUrl?: string): Promise<FlexibleRateLimiter> {
    const created = await FlexibleRateLimiter.create({ policies: POLICIES, postgresUrl });
    limiters.push(created);
    return created;
  }

  async function database(): Promise<TestDatabase> {
    const created = await createTestDatabase('gateway-rate-limits');
    databases.push(created);
    return created;
  }

  afterAll(async () => {
    for (const created of limiters) await created.onApplicationShutdown();
    for (const created of databases) await created.drop();
  });

  it('empties a bucket per client and bucket, then refuses with the time until it is full again', async () => {
    const memory = await limiter();
    const taken = [];
    for (let index = 0; index < 4; index++) taken.push(await memory.take('api', 'user:alice'));
    expect(taken.map(({ allowed, remaining }) => [allowed, remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(taken[3]).toMatchObject({ bucket: 'api', limit: 3 });
    expect(taken[3].resetInMs).toBeGreaterThan(55_000);
    expect(taken[3].resetInMs).toBeLessThanOrEqual(60_000);

    expect(await memory.take('api', 'user:bob')).toMatchObject({ allowed: true, remaining: 2 });
    expect(await memory.take('login', 'user:alice')).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
  });

  it('refills a bucket once its window has passed', async () => {
    const memory = await limiter();
    expect((await memory.take('orders', 'user:carol')).allowed).toBe(true);
    expect((await memory.take('orders', 'user:carol')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await memory.take('orders', 'user:carol')).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('shares the buckets between limiters on one Postgres store, in a table of its own', async () => {
    const { url } = await database();
    // Replicas start together and both try to create the table.
    const [first, second] = await Promise.all([limiter(url), limiter(url)]);
    const outcomes = [await first.take('api', 'user:dave'), await second.take('api', 'user:dave'), await first.take('api', 'user:dave'), await second.take('api', 'user:dave')];
    expect(outcomes.map(({ allowed, remaining }) => [allowed, remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    // Once a replica saw the client over the limit, it refuses from memory; the other one still counts in Postgres.
    expect((await second.take('api', 'user:dave')).allowed).toBe(false);
    expect((await first.take('api', 'user:dave')).allowed).toBe(false);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string; points: number }>(`SELECT key, points FROM ${RATE_LIMIT_TABLE} WHERE key = 'api:user:dave'`);
      expect(rows).toEqual([{ key: 'api:user:dave', points: expect.any(Number) }]);
      expect(rows[0].points).toBeGreaterThanOrEqual(4);
    } finally {
      await client.end();
    }
  });

  it('keeps limiting, per replica in memory, when the Postgres store goes away', async () => {
    const store = await database();
    const shared = await limiter(store.url);
    expect((await shared.take('login', 'ip:10.0.0.9')).allowed).toBe(true);
    await store.drop();

    const outcomes = [await shared.take('login', 'ip:10.0.0.9'), await shared.take('login', 'ip:10.0.0.9'), await shared.take('login', 'ip:10.0.0.9')];
    expect(outcomes.map((outcome) => outcome.allowed)).toEqual([true, true, false]);
  });

  it('refuses to start when the Postgres store cannot be reached', async () => {
    await expect(FlexibleRateLimiter.create({ policies: POLICIES, postgresUrl: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toThrow();
  });
});
