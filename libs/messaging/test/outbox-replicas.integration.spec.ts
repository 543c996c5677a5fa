import { JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { EventEnvelope } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { DataSource, DataSourceOptions } from 'typeorm';
import { migratedDatabase, startConsumerApp } from './support/test-app';

function eventOf(type: string, orderId: string): EventEnvelope<{ orderId: string }> {
  return { id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), correlationId: `test-${orderId}`, causationId: null, data: { orderId } };
}

/** Writes events straight into the outbox as rows an hour old, as a process that crashed right after its commit leaves them. */
async function overdueRows(dataSource: DataSource, ...events: EventEnvelope[]): Promise<void> {
  for (const event of events) {
    await dataSource.query(`INSERT INTO outbox (id, subject, payload, headers, created_at) VALUES ($1, $2, $3, '{}', now() - interval '1 hour')`, [
      event.id,
      `${event.type}.v${event.version}`,
      JSON.stringify(event),
    ]);
  }
}

/** The event ids in a stream, in the order it stored them. */
async function storedIds(jsm: JetStreamManager, stream: string): Promise<string[]> {
  const { state } = await jsm.streams.info(stream);
  const ids: string[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (message) ids.push(message.header.get('Nats-Msg-Id'));
  }
  return ids;
}

async function unpublishedCount(dataSource: DataSource, events: EventEnvelope[]): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1) AND published_at IS NULL`, [
    events.map((event) => event.id),
  ]);
  return n;
}

describe('two relays on one database, one of them hanging in a publish', () => {
  let database: TestDatabase;
  let options: DataSourceOptions;
  let dataSource: DataSource;
  let frozenNats: PrivateNatsServer;
  let liveNats: PrivateNatsServer;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    [database, frozenNats, liveNats] = await Promise.all([createTestDatabase('outbox_replicas'), startPrivateNatsServer(), startPrivateNatsServer()]);
    options = await migratedDatabase(database.url, 'outbox-replicas-test');
    dataSource = await new DataSource(options).initialize();
  }, 60_000);

  afterAll(async () => {
    if (frozenNats?.pid) process.kill(frozenNats.pid, 'SIGCONT');
    for (const app of apps) await app.close();
    await dataSource?.destroy();
    await Promise.all([frozenNats?.dispose(), liveNats?.dispose()]);
    await database?.drop();
  }, 60_000);

  it("publishes the rows the hanging relay claimed once its lease lapses, and an order's later rows only after them", async () => {
    // The first relay takes one row per sweep and waits for its publish as long as a frozen process would.
    apps.push(
      await startConsumerApp({
        serviceName: 'relay-hanging',
        natsUrl: frozenNats.url,
        controllers: [],
        database: options,
        outbox: { pollIntervalMs: 100, batchSize: 1, publishTimeoutMs: 10 * 60_000, leaseMs: 2_000 },
      }),
    );
    process.kill(frozenNats.pid as number, 'SIGSTOP');
    const orderId = randomUUID();
    const events = [eventOf('order.first', orderId), eventOf('order.second', orderId), eventOf('order.third', orderId)];
    await overdueRows(dataSource, ...events);
    await waitFor(async () => (await dataSource.query(`SELECT 1 FROM outbox WHERE id = $1 AND claimed_by IS NOT NULL`, [events[0].id])).length === 1, {
      timeoutMs: 10_000,
      description: 'the first row claimed by the hanging relay',
    });

    apps.push(await startConsumerApp({ serviceName: 'relay-live', natsUrl: liveNats.url, controllers: [], database: options, outbox: { pollIntervalMs: 100, leaseMs: 2_000 } }));
    await waitFor(async () => (await unpublishedCount(dataSource, events)) === 0, { timeoutMs: 30_000, description: 'every row published by the live relay' });

    const client = await connect({ servers: liveNats.url });
    try {
      expect(await storedIds(await jetstreamManager(client), 'ORDER')).toEqual(events.map((event) => event.id));
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe("the order of one order's events in the stream", () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let dataSource: DataSource;
  let client: NatsConnection;
  let jsm: JetStreamManager;

  const lastErrorOf = async (event: EventEnvelope): Promise<string | null> =>
    (await dataSource.query(`SELECT last_error FROM outbox WHERE id = $1`, [event.id]))[0]?.last_error ?? null;

  /** A stream that takes the `later` events of `context` now and its `first` events only once `widen` is called: until then those fail to publish. */
  async function narrowStream(context: string): Promise<{ widen(): Promise<void> }> {
    const name = context.toUpperCase();
    await jsm.streams.add({ name, subjects: [`${context}.later.v1`] });
    return { widen: async () => void (await jsm.streams.update(name, { subjects: [`${context}.>`] })) };
  }

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('outbox_order'), startPrivateNatsServer()]);
    const options = await migratedDatabase(database.url, 'outbox-order-test');
    app = await startConsumerApp({ serviceName: 'outbox-order', natsUrl: nats.url, controllers: [], database: options, outbox: { pollIntervalMs: 100, sweepAfterMs: 1_000 } });
    dataSource = app.get(DataSource);
    client = await connect({ servers: nats.url });
    jsm = await jetstreamManager(client);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([client?.close(), app?.close()]);
    await Promise.all([nats?.dispose(), database?.drop()]);
  });

  it('sweeps them in their order: a row that fails to publish holds back the later rows of its order', async () => {
    const stream = await narrowStream('sweep');
    const orderId = randomUUID();
    const events = [eventOf('sweep.first', orderId), eventOf('sweep.later', orderId), eventOf('sweep.later', orderId)];
    await overdueRows(dataSource, ...events);
    await waitFor(() => lastErrorOf(events[0]), { timeoutMs: 10_000, description: 'the first row failed to publish' });

    await stream.widen();
    await waitFor(async () => (await unpublishedCount(dataSource, events)) === 0, { timeoutMs: 20_000, description: 'every row published' });
    expect(await storedIds(jsm, 'SWEEP')).toEqual(events.map((event) => event.id));
  });

  it('leaves a later event of an order to the sweep while an earlier one of the same process waits there', async () => {
    const stream = await narrowStream('dispatch');
    const orderId = randomUUID();
    const events = [eventOf('dispatch.first', orderId), eventOf('dispatch.later', orderId)];
    const transactions = app.get(MessageTransactions);
    for (const event of events) await transactions.run((tx) => tx.publish(event));
    await waitFor(() => lastErrorOf(events[0]), { timeoutMs: 10_000, description: 'the first event failed to publish, at its commit and in the sweep' });

    await stream.widen();
    await waitFor(async () => (await unpublishedCount(dataSource, events)) === 0, { timeoutMs: 20_000, description: 'both events published' });
    expect(await storedIds(jsm, 'DISPATCH')).toEqual(events.map((event) => event.id));
  });
});
