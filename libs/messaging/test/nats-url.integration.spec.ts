import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { freePort, PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { NatsConnectionManager, OnEvent } from '../src';
import { catalogOf, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const ServerListed = orderTestEvent('order.server-list-test');
const handled = new Set<string>();

@Controller()
class ServerListedHandler {
  @OnEvent(ServerListed)
  async onServerListed(@Payload() event: EnvelopeOf<typeof ServerListed>): Promise<void> {
    handled.add(event.data.orderId);
  }
}

describe('NATS_URL listing several servers', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication | undefined;
  let manager: NatsConnectionManager | undefined;
  /** The private server between two cluster nodes that are down, as a configuration would list them. */
  let serverList: string;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    serverList = `nats://127.0.0.1:${await freePort()}, 127.0.0.1:${nats.port},nats://127.0.0.1:${await freePort()}`;
  });

  afterAll(async () => {
    await app?.close();
    await manager?.close();
    await nats?.dispose();
  });

  it('connects a tool, which gives up on an unreachable NATS, to the server that answers', async () => {
    manager = new NatsConnectionManager({ url: serverList, serviceName: 'server-list-tool', failFast: true });
    await manager.connect();
    expect(manager.connection.getServer()).toBe(`127.0.0.1:${nats.port}`);
    await manager.ensureStreams();
  });

  it('connects a service to the server that answers, and it consumes there', async () => {
    app = await startConsumerApp({ serviceName: 'server-list-test', natsUrl: serverList, controllers: [ServerListedHandler], server: { catalog: catalogOf(ServerListed) } });
    const event = ServerListed.create({ orderId: randomUUID() }, { correlationId: 'server-list-test' });
    await publishRaw(nats.url, ServerListed.subject, JSON.stringify(event));
    await waitFor(() => handled.has(event.data.orderId), { timeoutMs: 15_000, description: 'the event to be handled' });
  });

  it('refuses an entry that is not a server, naming NATS_URL', async () => {
    const misspelt = new NatsConnectionManager({ url: `${nats.url},nats//127.0.0.1:${nats.port}`, serviceName: 'server-list-typo', failFast: true });
    await expect(misspelt.connect()).rejects.toThrow(`NATS_URL: "nats//127.0.0.1:${nats.port}" is not a NATS server`);
  });
});
