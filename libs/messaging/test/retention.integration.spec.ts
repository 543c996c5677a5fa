import { INestApplication } from '@nestjs/common';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase } from '@orders/testing';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '../src';
import { migratedDatabase, startConsumerApp } from './support/test-app';

const BATCH = 10;
const DAY_MS = 24 * 60 * 60_000;

describe('purging the outbox on real Postgres', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let dataSource: DataSource;
  let relay: OutboxRelay;

  /** Outbox rows published `publishedAgo` (null: not published) and created a day before that, or a day ago. */
  const insertOutboxRows = (count: number, publishedAgo: string | null): Promise<unknown> =>
    dataSource.query(
      `INSERT INTO outbox (id, subject, payload, created_at, published_at)
       SELECT gen_random_uuid(), 'order.purge-test', '{}', now() - coalesce($2::interval, '0 hours') - interval '1 day', now() - $2::interval
         FROM generate_series(1, $1)`,
      [count, publishedAgo],
    );
  const outboxRows = async (): Promise<{ old: number; recent: number; unpublished: number }> => {
    const [counts] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE published_at < now() - interval '24 hours')::int AS old,
              count(*) FILTER (WHERE published_at >= now() - interval '24 hours')::int AS recent,
              count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished
         FROM outbox`,
    );
    return counts;
  };

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('retention'), startPrivateNatsServer()]);
    const options = await migratedDatabase(database.url, 'retention-test');
    // The sweep leaves the unpublished rows alone: they stay unpublished, whatever their age.
    const outbox = { retentionHours: 24, purgeBatchSize: BATCH, sweepAfterMs: 365 * DAY_MS };
    app = await startConsumerApp({ serviceName: 'retention-test', natsUrl: nats.url, controllers: [], database: options, outbox });
    dataSource = app.get(DataSource);
    relay = app.get(OutboxRelay);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  it('purges published rows past their retention in batches, keeping recent and unpublished rows', async () => {
    await insertOutboxRows(3 * BATCH + 5, '25 hours');
    await insertOutboxRows(4, '23 hours');
    await insertOutboxRows(3, null);

    expect((await relay.purge()).outbox).toEqual([BATCH, BATCH, BATCH, 5]);
    expect(await outboxRows()).toEqual({ old: 0, recent: 4, unpublished: 3 });
    expect((await relay.purge()).outbox).toEqual([0]);
  });
});
