import { jetstream, JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { decodeEnvelope, EnvelopeOf } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DeadLetters, JetStreamContext, NatsConnectionManager, OnEvent } from '../src';
import { catalogOf, effectsOf, migratedDatabase, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Shipped = orderTestEvent('order.shipped-test');
const SERVICE = 'crash-test';
const CONSUMER = `${SERVICE}-order-shipped-test`;
const MAX_DELIVERIES = 2;
// Short, to keep the redeliveries below quick, yet above what handling takes on a loaded machine.
const ACK_WAIT_MS = 2_000;
// Shorter than the redeliveries below take: the message is not waiting for another event, it crashes its handlers.
const PRECEDING_EVENT_WAIT_MS = 100;

/** What the handler of the running service saw, per order. */
const handled = new Map<string, Array<{ attempt: number; firstTime: boolean }>>();

async function recordEffect(transactions: MessageTransactions, event: EnvelopeOf<typeof Shipped>, consumer: string): Promise<boolean> {
  return transactions.processOnce(event, consumer, async (tx) => {
    await tx.query(`INSERT INTO effects (consumer, event_id, order_id) VALUES ($1, $2, $3)`, [consumer, event.id, event.data.orderId]);
  });
}

@Controller()
class ShippedHandler {
  constructor(private readonly transactions: MessageTransactions) {}

  @OnEvent(Shipped, { maxDeliveries: MAX_DELIVERIES, ackWaitMs: ACK_WAIT_MS, precedingEventWaitMs: PRECEDING_EVENT_WAIT_MS })
  async onShipped(@Payload() event: EnvelopeOf<typeof Shipped>, @Ctx() context: JetStreamContext): Promise<void> {
    const firstTime = await recordEffect(this.transactions, event, context.consumer);
    handled.set(event.data.orderId, [...(handled.get(event.data.orderId) ?? []), { attempt: context.deliveryCount, firstTime }]);
  }
}

describe('redelivery after a consumer died before acknowledging', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let options: DataSourceOptions;
  let dataSource: DataSource;
  let app: INestApplication | undefined;

  const startService = async () => {
    app = await startConsumerApp({ serviceName: SERVICE, natsUrl: nats.url, controllers: [ShippedHandler], database: options, server: { catalog: catalogOf(Shipped) } });
    return app;
  };
  const stopService = async () => {
    await app?.close();
    app = undefined;
  };
  const publish = async () => {
    const event = Shipped.create({ orderId: crypto.randomUUID() }, { correlationId: 'crash-test' });
    await publishRaw(nats.url, Shipped.subject, JSON.stringify(event));
    return event;
  };
  /** A replica of the service that takes deliveries, then dies without acknowledging any of them. */
  const dyingReplica = async (work: (message: JsMsg) => Promise<void>, deliveries = 1) => {
    const client = await connect({ servers: nats.url });
    const consumer = await jetstream(client).consumers.get('ORDER', CONSUMER);
    for (let delivery = 1; delivery <= deliveries; delivery++) {
      const message = await consumer.next({ expires: 5_000 });
      if (!message) throw new Error(`delivery ${delivery} did not arrive`);
      await work(message);
    }
    await client.close();
  };
  const settled = async (service: INestApplication) => {
    const jsm = await service.get(NatsConnectionManager).jetstreamManager();
    await waitFor(async () => (await jsm.consumers.info('ORDER', CONSUMER)).num_ack_pending === 0, { description: 'every delivery to be acked' });
  };

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('redelivery'), startPrivateNatsServer()]);
    options = await migratedDatabase(database.url, 'redelivery-test');
    dataSource = await new DataSource(options).initialize();
    // Declares the durable consumer, so the dying replica below can take deliveries from it before the service runs.
    await startService();
    await stopService();
  }, 60_000);

  afterEach(stopService);

  afterAll(async () => {
    await dataSource?.destroy();
    await nats?.dispose();
    await database?.drop();
  });

  it('gives an event one effect when the consumer committed it but died before the ack', async () => {
    const event = await publish();
    const replicaTransactions = new MessageTransactions(dataSource);
    await dyingReplica(async (message) => {
      expect(await recordEffect(replicaTransactions, Shipped.parse(decodeEnvelope(message.data)), CONSUMER)).toBe(true);
    });
    expect(await effectsOf(dataSource, CONSUMER, event.data.orderId)).toBe(1);

    const service = await startService();

    await waitFor(() => handled.get(event.data.orderId), { description: 'the redelivery to reach the restarted service' });
    await settled(service);
    expect(handled.get(event.data.orderId)).toEqual([{ attempt: 2, firstTime: false }]);
    expect(await effectsOf(dataSource, CONSUMER, event.data.orderId)).toBe(1);
  });

  it('dead-letters, without running the handler, a message that already used up its deliveries on crashed replicas', async () => {
    const event = await publish();
    await dyingReplica(async () => undefined, MAX_DELIVERIES);

    const service = await startService();

    const deadLetters = service.get(DeadLetters);
    const letter = await waitFor(async () => (await deadLetters.list({ service: SERVICE })).deadLetters[0], { description: 'the message to be dead-lettered' });
    expect(letter).toMatchObject({ consumer: CONSUMER, subject: Shipped.subject, kind: 'exhausted', attempts: MAX_DELIVERIES + 1 });
    expect(letter.error).toMatch(/without being acknowledged/);
    await settled(service);
    expect(handled.get(event.data.orderId)).toBeUndefined();
    expect(await effectsOf(dataSource, CONSUMER, event.data.orderId)).toBe(0);
  });
});
