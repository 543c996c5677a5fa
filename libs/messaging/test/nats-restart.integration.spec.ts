import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf, STREAMS } from '@orders/contracts';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEAD_LETTER_STREAM, durableConsumerName, NatsConnectionManager, OnEvent } from '../src';
import { catalogOf, migratedDatabase, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Restocked = orderTestEvent('order.restart-test');
const handled = new Set<string>();

@Controller()
class RestockedHandler {
  @OnEvent(Restocked)
  async onRestocked(@Payload() event: EnvelopeOf<typeof Restocked>): Promise<void> {
    handled.add(event.data.orderId);
  }
}

describe('a service starting while NATS restarts', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('waits for NATS to come back, then sets up its streams and consumers and consumes, instead of failing its start-up', async () => {
    app = await startConsumerApp({ serviceName: 'restart-test', natsUrl: nats.url, controllers: [RestockedHandler], server: { catalog: catalogOf(Restocked) }, listen: false });
    // Connected, and the server goes away just before the streams and consumers are set up.
    await nats.stop();
    const listening = app.startAllMicroservices();
    await sleep(2_000);
    await nats.start();
    await listening;

    const event = Restocked.create({ orderId: randomUUID() }, { correlationId: 'restart-test' });
    await publishRaw(nats.url, Restocked.subject, JSON.stringify(event));
    await waitFor(() => handled.has(event.data.orderId), { timeoutMs: 15_000, description: 'the event to be handled' });
  }, 120_000);
});

describe('a service with an outbox starting while NATS restarts', () => {
  let nats: PrivateNatsServer;
  let database: TestDatabase;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    [nats, database] = await Promise.all([startPrivateNatsServer(), createTestDatabase('nats_restart_outbox')]);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  it('waits for NATS to come back, then has its streams and consumers in place, instead of failing its start-up', async () => {
    const options = await migratedDatabase(database.url, 'nats-restart-test');
    const service = await startConsumerApp({
      serviceName: 'start-up-test',
      natsUrl: nats.url,
      controllers: [RestockedHandler],
      database: options,
      server: { catalog: catalogOf(Restocked) },
      init: false,
    });
    app = service;
    // Connected, and the server goes away just before the outbox relay and the transport set up the streams and consumers.
    await service.get(NatsConnectionManager).connect();
    await nats.stop();
    const starting = service.init().then(() => service.startAllMicroservices());
    await sleep(2_000);
    await nats.start();
    await starting;

    const client = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(client);
      const streams = (await jsm.streams.names().next()).sort();
      expect(streams).toEqual([...STREAMS.map((stream) => stream.name), DEAD_LETTER_STREAM].sort());
      expect((await jsm.consumers.info('ORDER', durableConsumerName('start-up-test', Restocked.type))).config.filter_subject).toBe(Restocked.allVersionsSubject);
    } finally {
      await client.close();
    }
  }, 120_000);
});
