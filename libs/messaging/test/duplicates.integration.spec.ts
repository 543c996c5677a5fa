import { JetStreamManager } from '@nats-io/jetstream';
import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { JetStreamContext, NatsConnectionManager, OnEvent } from '../src';
import { catalogOf, effectsOf, migratedDatabase, orderTestEvent, startConsumerApp } from './support/test-app';

const Noted = orderTestEvent('order.noted-twice-test');
const SERVICE = 'duplicates-test';
const CONSUMER = `${SERVICE}-order-noted-twice-test`;
const DUPLICATE_WINDOW_MS = 1_000;

@Controller()
class NotedHandler {
  constructor(private readonly transactions: MessageTransactions) {}

  @OnEvent(Noted)
  async onNoted(@Payload() event: EnvelopeOf<typeof Noted>, @Ctx() context: JetStreamContext): Promise<void> {
    await this.transactions.processOnce(event, context.consumer, async (tx) => {
      await tx.query(`INSERT INTO effects (consumer, event_id, order_id) VALUES ($1, $2, $3)`, [context.consumer, event.id, event.data.orderId]);
    });
  }
}

describe('an event the relay publishes again after the duplicate window', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let dataSource: DataSource;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('duplicates'), startPrivateNatsServer()]);
    const options = await migratedDatabase(database.url, 'duplicates-test');
    app = await startConsumerApp({
      serviceName: SERVICE,
      natsUrl: nats.url,
      controllers: [NotedHandler],
      database: options,
      server: { catalog: catalogOf(Noted) },
      outbox: { pollIntervalMs: 100, markIntervalMs: 100 },
    });
    dataSource = app.get(DataSource);
    jsm = await app.get(NatsConnectionManager).jetstreamManager();
    // A window this short lets the second publish below through, as a gap longer than the real window would.
    await jsm.streams.update('ORDER', { duplicate_window: DUPLICATE_WINDOW_MS * 1_000_000 });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([nats?.dispose(), database?.drop()]);
  });

  it('is stored twice and still handled once: the consumer recognises its event id', async () => {
    const event = Noted.create({ orderId: crypto.randomUUID() }, { correlationId: 'duplicates-test' });
    await app.get(MessageTransactions).run((tx) => tx.publish(event));
    await waitFor(async () => (await dataSource.query(`SELECT 1 FROM outbox WHERE id = $1 AND published_at IS NOT NULL`, [event.id])).length === 1, {
      description: 'the event published and marked',
    });
    await waitFor(async () => (await effectsOf(dataSource, CONSUMER, event.data.orderId)) === 1, { description: 'the event handled' });

    // Past the window the mark is lost, as when the database failed over right after the publish; the sweep publishes the row again.
    await sleep(DUPLICATE_WINDOW_MS * 1.5);
    await dataSource.query(`UPDATE outbox SET published_at = NULL, created_at = now() - interval '1 hour' WHERE id = $1`, [event.id]);
    await waitFor(async () => (await jsm.streams.info('ORDER')).state.messages === 2, { description: 'the second copy stored' });
    await waitFor(
      async () => {
        const consumer = await jsm.consumers.info('ORDER', CONSUMER);
        return consumer.delivered.stream_seq === 2 && consumer.num_ack_pending === 0;
      },
      { description: 'the second copy delivered and acknowledged' },
    );

    expect(await effectsOf(dataSource, CONSUMER, event.data.orderId)).toBe(1);
    const [{ n }]: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND message_id = $2`, [CONSUMER, event.id]);
    expect(n).toBe(1);
  });
});
