import { Controller, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { defineEvent, replicaStatusSchema, serviceStatusSubject } from '@orders/contracts';
import { JetStreamServer, MessagingModule, NatsConnectionManager, OnEvent } from '@orders/messaging';
import { MessageTransactions, postgresOptions, runMigrations, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { adminDatabaseUrl, createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { z } from 'zod';
import { HealthModule } from './health.module';

const SERVICE = 'health-details';
const Probe = defineEvent('order.health-probe', { schema: z.object({ orderId: z.uuid() }) });
const CONSUMER = `${SERVICE}-order-health-probe`;

interface Readiness {
  status: number;
  body: { status: string; info?: Record<string, Record<string, unknown>>; error?: Record<string, Record<string, unknown>> };
}

describe('readiness details of a service with a database, an outbox and consumers', () => {
  let nats: PrivateNatsServer;
  let database: TestDatabase;
  let app: INestApplication;
  let url: string;
  const handled: string[] = [];

  @Controller()
  class ProbeController {
    @OnEvent(Probe)
    async probe({ id }: { id: string }): Promise<void> {
      handled.push(id);
    }
  }

  async function ready(): Promise<Readiness> {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as Readiness['body'] };
  }

  const publishProbes = (count: number) =>
    app.get(MessageTransactions).run((tx) => tx.publish(...Array.from({ length: count }, () => Probe.create({ orderId: randomUUID() }, { correlationId: randomUUID() }))));

  /** Lets no session into the test database and ends the app's, as a database outage would. */
  async function allowConnections(allowed: boolean): Promise<void> {
    const admin = new Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database.name)} ALLOW_CONNECTIONS ${allowed}`);
      if (!allowed) await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [database.name]);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    database = await createTestDatabase(SERVICE);
    const options = postgresOptions({ url: database.url, applicationName: SERVICE, entities: UNIT_OF_WORK_ENTITIES, migrations: UNIT_OF_WORK_MIGRATIONS });
    await runMigrations(options);
    @Module({
      imports: [
        TypeOrmModule.forRoot(options),
        MessagingModule.forRoot({ serviceName: SERVICE, natsUrl: nats.url, outbox: { pollIntervalMs: 200, publishTimeoutMs: 1_000 } }),
        HealthModule.forRoot({ database: true, answersStatusRequests: true }),
      ],
      controllers: [ProbeController],
    })
    class ReadinessTestModule {}
    app = (await Test.createTestingModule({ imports: [ReadinessTestModule] }).compile()).createNestApplication({ logger: false });
    app.connectMicroservice({ strategy: new JetStreamServer(app.get(NatsConnectionManager), { catalog: new Map([[Probe.type, Probe]]) }) }, { inheritAppConfig: true });
    await app.init();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  it("shows each consumer the app's handlers need, whether it exists and how far behind it is, without failing readiness for it", async () => {
    // The microservice has not started, so its consumer is not created yet.
    expect(await ready()).toMatchObject({ status: 200, body: { info: { consumers: { status: 'up', consumers: { [CONSUMER]: { exists: false } } } } } });

    await app.startAllMicroservices();
    await publishProbes(2);

    await waitFor(
      async () => {
        const { body } = await ready();
        const consumer = body.info?.consumers.consumers as Record<string, Record<string, unknown>> | undefined;
        const caughtUp = consumer?.[CONSUMER]?.exists === true && consumer[CONSUMER].numPending === 0 && consumer[CONSUMER].numAckPending === 0;
        // The relay marks a row published only after JetStream acknowledged it, which can be after the consumer handled it.
        return caughtUp && body.info?.outbox.rows === 0;
      },
      { timeoutMs: 15_000, description: 'the consumer to catch up and the outbox to drain' },
    );
    expect(handled).toHaveLength(2);
    expect(await ready()).toMatchObject({
      status: 200,
      body: {
        info: {
          database: { status: 'up' },
          nats: { status: 'up' },
          consumers: { status: 'up', consumers: { [CONSUMER]: { exists: true, stream: 'ORDER', numPending: 0, numAckPending: 0, numRedelivered: 0 } } },
          outbox: { status: 'up', rows: 0, oldestAgeSeconds: 0 },
          deadLetters: { status: 'up', depth: 0 },
        },
      },
    });
  });

  it('shows the outbox backlog that builds up while NATS is down; only NATS itself makes the service unready', async () => {
    await nats.stop();
    await publishProbes(3);

    // The client notices the lost connection a moment after the server is gone.
    const down = await waitFor(
      async () => {
        const answer = await ready();
        return answer.status === 503 ? answer : undefined;
      },
      { timeoutMs: 15_000, description: 'readiness to report NATS down' },
    );
    expect(down.body.error).toMatchObject({ nats: { status: 'down' } });
    expect(down.body.error).not.toHaveProperty('outbox');
    expect(down.body.info).toMatchObject({ database: { status: 'up' }, outbox: { status: 'up', rows: 3 } });
    expect(down.body.info?.outbox.oldestAgeSeconds).toBeGreaterThan(0);

    await nats.start();
    await waitFor(
      async () => {
        const { status, body } = await ready();
        return status === 200 && body.info?.outbox.rows === 0;
      },
      { timeoutMs: 30_000, description: 'the backlog to be published and the service ready again' },
    );
  });

  it('is not ready, but still live, while its database is unreachable, and ready again once it is back', async () => {
    await allowConnections(false);
    try {
      await waitFor(async () => (await ready()).status === 503, { timeoutMs: 15_000, description: 'readiness to fail' });
      const unready = await ready();
      expect(unready.body.error).toMatchObject({ database: { status: 'down' } });
      expect(unready.body.info).toMatchObject({ nats: { status: 'up' }, outbox: { status: 'up', rows: null } });
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      // Operators asking for the service's status get the same story from the replica.
      const status = replicaStatusSchema.parse((await app.get(NatsConnectionManager).connection.request(serviceStatusSubject(SERVICE), '', { timeout: 5_000 })).json());
      expect(status).toMatchObject({ service: SERVICE, ready: false, outbox: null });
      expect(status.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^database: /), expect.stringMatching(/^outbox: unknown: /)]));
    } finally {
      await allowConnections(true);
    }
    await waitFor(async () => (await ready()).status === 200, { timeoutMs: 20_000, description: 'readiness to recover' });
  });
});
