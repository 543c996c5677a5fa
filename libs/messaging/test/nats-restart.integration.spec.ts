import { JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { ManagedProcess, NatsServer, ProcessLogs } from '@orders/local-processes';
import { createTestDatabase, freePort, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { durableConsumerName, NatsConnectionManager, OnEvent } from '../src';
import { platformStreamSettings } from '../src/jetstream/stream-provisioning';
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
      expect(streams).toEqual(
        platformStreamSettings()
          .map((stream) => stream.name)
          .sort(),
      );
      expect((await jsm.consumers.info('ORDER', durableConsumerName('start-up-test', Restocked.type))).config.filter_subject).toBe(Restocked.allVersionsSubject);
    } finally {
      await client.close();
    }
  }, 120_000);
});

/** One node of a three-node NATS cluster, on its own client and cluster ports. */
interface ClusterNode {
  name: string;
  port: number;
  clusterPort: number;
  storeDir: string;
  configFile: string;
}

describe('a service starting while its NATS cluster has no JetStream meta leader', () => {
  const logs = new ProcessLogs('capture');
  const nodes: ClusterNode[] = [];
  let lone: ManagedProcess;
  let peers: NatsServer[] = [];
  let app: INestApplication | undefined;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nats-cluster-'));
    for (const name of ['n1', 'n2', 'n3']) {
      nodes.push({ name, port: await freePort(), clusterPort: await freePort(), storeDir: join(dir, name), configFile: join(dir, `${name}.conf`) });
    }
    for (const node of nodes) {
      const routes = nodes.filter((other) => other !== node).map((other) => `nats://127.0.0.1:${other.clusterPort}`);
      await writeFile(node.configFile, `server_name: ${node.name}\ncluster { name: start-up-test, listen: 127.0.0.1:${node.clusterPort}, routes: [${routes.join(', ')}] }\n`);
    }
    // The first node alone: it accepts connections, but without its peers JetStream elects no meta leader.
    const [first] = nodes;
    lone = new ManagedProcess(
      { name: first.name, command: 'nats-server', args: ['-c', first.configFile, '-js', '-a', '127.0.0.1', '-p', String(first.port), '-sd', first.storeDir] },
      logs,
    );
    lone.start();
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([lone?.stop('SIGINT', 3_000), ...peers.map((peer) => peer.stop())]);
    if (nodes[0]) await rm(dirname(nodes[0].storeDir), { recursive: true, force: true });
  });

  it('waits for the cluster to elect one, then has its streams and consumers in place, instead of failing its start-up', async () => {
    const url = `nats://127.0.0.1:${nodes[0].port}`;
    const client = await waitFor(() => connect({ servers: url }), { description: 'the first node to accept connections' });
    try {
      await waitFor(() => answersUnavailable(client), { timeoutMs: 60_000, description: 'the JetStream API to answer 503' });
      const starting = startConsumerApp({ serviceName: 'leader-test', natsUrl: url, controllers: [RestockedHandler], server: { catalog: catalogOf(Restocked) } });
      // Awaited once the peers are up; a start-up that fails before then must not count as unhandled.
      starting.catch(() => undefined);
      // Its first attempts meet the 503.
      await sleep(2_000);
      peers = nodes.slice(1).map((node) => new NatsServer({ ...node, logs, readyTimeoutMs: 60_000 }));
      await Promise.all(peers.map((peer) => peer.start()));
      app = await starting;

      const jsm = await jetstreamManager(client);
      expect((await jsm.streams.names().next()).sort()).toEqual(
        platformStreamSettings()
          .map((stream) => stream.name)
          .sort(),
      );
      expect((await jsm.consumers.info('ORDER', durableConsumerName('leader-test', Restocked.type))).config.filter_subject).toBe(Restocked.allVersionsSubject);
    } finally {
      await client.close();
    }
  }, 180_000);
});

/** True once the JetStream API answers, with 503 "JetStream system temporarily unavailable". */
async function answersUnavailable(client: NatsConnection): Promise<boolean> {
  try {
    await jetstreamManager(client, { timeout: 1_000 });
    return false;
  } catch (error) {
    return error instanceof JetStreamApiError && error.status === 503;
  }
}
