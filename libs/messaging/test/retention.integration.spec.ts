import { INestApplication } from '@nestjs/common';
import { MessageTransactions } from '@orders/persistence';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { inboxRetentionEnvironment, OutboxRelay } from '../src';
import { migratedDatabase, orderTestEvent, startConsumerApp } from './support/test-app';

const BATCH = 10;
const DAY_MS = 24 * 60 * 60_000;
const CONSUMER = 'retention-test-handled';
const Handled = orderTestEvent('order.retention-test');

describe('purging the outbox, the inbox and the recorded failed deliveries on real Postgres', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let dataSource: DataSource;
  let relay: OutboxRelay;
  let transactions: MessageTransactions;

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
    transactions = app.get(MessageTransactions);
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

  describe('the inbox', () => {
    const insertInboxRows = (count: number, processedAgo: string): Promise<unknown> =>
      dataSource.query(`INSERT INTO inbox (consumer, message_id, processed_at) SELECT $1, gen_random_uuid(), now() - $3::interval FROM generate_series(1, $2)`, [
        CONSUMER,
        count,
        processedAgo,
      ]);
    const inboxRows = async (): Promise<{ old: number; kept: number }> => {
      const [counts] = await dataSource.query(
        `SELECT count(*) FILTER (WHERE processed_at < now() - interval '7 days')::int AS old,
                count(*) FILTER (WHERE processed_at >= now() - interval '7 days')::int AS kept
           FROM inbox`,
      );
      return counts;
    };
    const handle = (event: ReturnType<typeof Handled.create>): Promise<boolean> => transactions.processOnce(event, CONSUMER, async () => undefined);

    it('keeps rows for a week by default, longer than any redelivery comes, and takes no less than a day', () => {
      expect(inboxRetentionEnvironment({})).toEqual({ inboxRetentionHours: 7 * 24 });
      expect(inboxRetentionEnvironment({ INBOX_RETENTION_HOURS: '720' })).toEqual({ inboxRetentionHours: 720 });
      expect(() => inboxRetentionEnvironment({ INBOX_RETENTION_HOURS: '1' })).toThrow(/must be at least 24[\s\S]*→ at INBOX_RETENTION_HOURS/);
    });

    it('purges rows past the retention in batches, and still recognises a redelivery of a recent message', async () => {
      const recent = Handled.create({ orderId: randomUUID() }, { correlationId: 'retention-test' });
      expect(await handle(recent)).toBe(true);
      await insertInboxRows(2 * BATCH + 3, '8 days');
      await insertInboxRows(2, '6 days');

      expect((await relay.purge()).inbox).toEqual([BATCH, BATCH, 3]);
      expect(await inboxRows()).toEqual({ old: 0, kept: 3 });
      expect(await handle(recent)).toBe(false);
    });
  });

  it('purges the recorded failed deliveries past a day in batches (messages that failed, then succeeded), keeping recent ones', async () => {
    const insertFailures = (count: number, failedAgo: string): Promise<unknown> =>
      dataSource.query(
        `INSERT INTO delivery_failures (consumer, stream, stream_sequence, attempt, failed_at, replica, error)
         SELECT $1, 'ORDER', sequence, 1, now() - $3::interval, 'host:1', 'Timed out' FROM generate_series(1, $2) AS sequence`,
        [`${CONSUMER}-${failedAgo.replace(' ', '-')}`, count, failedAgo],
      );
    await insertFailures(BATCH + 4, '25 hours');
    await insertFailures(2, '23 hours');

    expect((await relay.purge()).deliveryFailures).toEqual([BATCH, 4]);
    expect(await dataSource.query(`SELECT count(*)::int AS kept FROM delivery_failures`)).toEqual([{ kept: 2 }]);
  });
});
