import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ArgumentsHost, Catch, Controller, Get, INestApplication, Module, Param, Type } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { defineEvent } from '@orders/contracts';
import { ConsumerStates, JetStreamServer, MessagingModule, NatsConnectionManager, OnEvent, OutboxBacklog } from '@orders/messaging';
import { MessageTransactions, postgresOptions, runMigrations, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { PermanentFailure } from '@orders/shared-kernel';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ConsumerMetrics } from './consumer.metrics';
import { HttpMetrics } from './http.metrics';
import { MessageHandlingMetrics } from './message-handling.metrics';
import { MetricsModule } from './metrics.module';
import { OutboxMetrics } from './outbox.metrics';

const SERVICE = 'metrics-runtime';
const CONSUMER = `${SERVICE}-order-metrics-probe`;
const Probe = defineEvent('order.metrics-probe', { schema: z.object({ behaviour: z.enum(['succeed', 'fail-once', 'poison']) }) });

/** Sample lines of one metric, without the service label, e.g. `orders_x{route="/a"} 1`. */
function samples(body: string, name: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) =>
      line
        .replace(/service="[^"]*"/, '')
        .replace(',}', '}')
        .replace('{,', '{')
        .replace(',,', ',')
        .replace('{}', ''),
    );
}

/** Hands handler errors to the transport as they are, as every app's error filter does, so it can tell permanent ones. */
@Catch()
class RethrowMessageErrors extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'rpc') throw exception;
    super.catch(exception, host);
  }
}

/** Starts an app that consumes Probe and serves HTTP, wired as createApp in @orders/service-runtime does. */
async function startProbeApp(module: Type): Promise<INestApplication> {
  const app = (await Test.createTestingModule({ imports: [module] }).compile()).createNestApplication({ logger: ['fatal'] });
  app.use(app.get(HttpMetrics).middleware);
  app.useGlobalFilters(new RethrowMessageErrors(app.getHttpAdapter()));
  const strategy = new JetStreamServer(app.get(NatsConnectionManager), { catalog: new Map([[Probe.type, Probe]]), observer: app.get(MessageHandlingMetrics) });
  app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('runtime metrics of an app', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication;
  const failedOnce = new Set<string>();

  @Controller('things')
  class ThingsController {
    @Get(':id')
    thing(@Param('id') id: string): { id: string } {
      return { id };
    }

    @OnEvent(Probe, { retryBaseDelayMs: 10, retryMaxDelayMs: 20 })
    async probe({ id, data }: { id: string; data: { behaviour: string } }): Promise<void> {
      if (data.behaviour === 'poison') throw new PermanentFailure('this probe can never be handled');
      if (data.behaviour === 'fail-once' && !failedOnce.has(id)) {
        failedOnce.add(id);
        throw new Error('a transient failure');
      }
    }
  }

  async function scrape(): Promise<string> {
    return (await fetch(`${await app.getUrl()}/metrics`)).text();
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    @Module({ imports: [MessagingModule.forRoot({ serviceName: SERVICE, natsUrl: nats.url }), MetricsModule.forRoot({ service: SERVICE })], controllers: [ThingsController] })
    class RuntimeTestModule {}
    app = await startProbeApp(RuntimeTestModule);
  });

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('counts HTTP requests by route pattern and status, never by URL, and times them', async () => {
    for (const id of ['a', 'b', 'c']) expect((await fetch(`${await app.getUrl()}/things/${id}`)).status).toBe(200);
    expect((await fetch(`${await app.getUrl()}/no/such/${randomUUID()}`)).status).toBe(404);

    const body = await scrape();
    expect(samples(body, 'orders_http_requests_total')).toEqual(
      expect.arrayContaining([
        'orders_http_requests_total{method="GET",route="/things/:id",status="200"} 3',
        'orders_http_requests_total{method="GET",route="unmatched",status="404"} 1',
      ]),
    );
    expect(samples(body, 'orders_http_request_duration_seconds_count')).toContain('orders_http_request_duration_seconds_count{method="GET",route="/things/:id"} 3');
    expect(body).not.toMatch(/route="\/things\/[abc]"|route="\/no\//);
  });

  it('counts every delivery by consumer, type and outcome, and reports the consumer caught up', async () => {
    const client = await connect({ servers: nats.url });
    const js = jetstream(client);
    for (const behaviour of ['succeed', 'succeed', 'fail-once', 'poison'] as const) {
      await js.publish(Probe.subject, JSON.stringify(Probe.create({ behaviour }, { correlationId: randomUUID() })));
    }
    await client.close();

    const handled = (outcome: string, count: number) => `orders_messages_handled_total{consumer="${CONSUMER}",type="order.metrics-probe",outcome="${outcome}"} ${count}`;
    await waitFor(
      async () => samples(await scrape(), 'orders_messages_handled_total').filter((sample) => [handled('ok', 3), handled('dead_lettered', 1)].includes(sample)).length === 2,
      { timeoutMs: 15_000, description: 'every probe to be handled' },
    );

    const body = await scrape();
    expect(samples(body, 'orders_messages_handled_total')).toEqual(expect.arrayContaining([handled('ok', 3), handled('retry', 1), handled('dead_lettered', 1)]));
    expect(samples(body, 'orders_message_handling_duration_seconds_count')).toContain(
      `orders_message_handling_duration_seconds_count{consumer="${CONSUMER}",type="order.metrics-probe"} 5`,
    );
    expect(samples(body, 'orders_consumer_pending_messages')).toEqual([`orders_consumer_pending_messages{consumer="${CONSUMER}"} 0`]);
    expect(samples(body, 'orders_consumer_ack_pending')).toEqual([`orders_consumer_ack_pending{consumer="${CONSUMER}"} 0`]);
    expect(samples(body, 'orders_consumer_redelivered')).toEqual([`orders_consumer_redelivered{consumer="${CONSUMER}"} 0`]);
  });

  it('reports lag and redeliveries of a consumer that is behind', async () => {
    const client = await connect({ servers: nats.url });
    try {
      const js = jetstream(client);
      // The consumer is stopped, so what is published now waits in the stream.
      await app.close();
      const publishProbe = () => js.publish(Probe.subject, JSON.stringify(Probe.create({ behaviour: 'succeed' }, { correlationId: randomUUID() })));
      await publishProbe();
      const consumer = await js.consumers.get('ORDER', CONSUMER);
      (await consumer.next())?.nak();
      expect((await consumer.next())?.info.deliveryCount).toBe(2); // redelivered, and now left unacknowledged
      await publishProbe();
      await publishProbe();

      const registry = new Registry();
      const manager = new NatsConnectionManager({ url: nats.url, serviceName: SERVICE });
      await manager.connect();
      new ConsumerMetrics(registry, new ConsumerStates(manager));
      const body = await registry.metrics();
      await manager.close();

      expect(samples(body, 'orders_consumer_pending_messages')).toEqual([`orders_consumer_pending_messages{consumer="${CONSUMER}"} 2`]);
      expect(samples(body, 'orders_consumer_ack_pending')).toEqual([`orders_consumer_ack_pending{consumer="${CONSUMER}"} 1`]);
      expect(samples(body, 'orders_consumer_redelivered')).toEqual([`orders_consumer_redelivered{consumer="${CONSUMER}"} 1`]);
    } finally {
      await client.close();
    }
  });
});

describe('orders_outbox_backlog and orders_outbox_oldest_age_seconds', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('metrics-outbox');
    const options = postgresOptions({ url: database.url, applicationName: 'metrics-outbox', entities: UNIT_OF_WORK_ENTITIES, migrations: UNIT_OF_WORK_MIGRATIONS });
    await runMigrations(options);
    dataSource = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('counts the rows not published yet and the age of the oldest, and are absent from apps without an outbox', async () => {
    const registry = new Registry();
    new OutboxMetrics(registry, new OutboxBacklog(new MessageTransactions(dataSource), dataSource));
    expect(samples(await registry.metrics(), 'orders_outbox_backlog')).toEqual(['orders_outbox_backlog 0']);
    expect(samples(await registry.metrics(), 'orders_outbox_oldest_age_seconds')).toEqual(['orders_outbox_oldest_age_seconds 0']);

    const insert = `INSERT INTO outbox (id, subject, payload, created_at, published_at) VALUES ($1, 'order.placed.v1', '{}', now() - make_interval(secs => $2), $3)`;
    await dataSource.query(insert, [randomUUID(), 90, null]);
    await dataSource.query(insert, [randomUUID(), 5, null]);
    await dataSource.query(insert, [randomUUID(), 600, new Date()]);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the snapshot kept for one scrape

    const body = await registry.metrics();
    expect(samples(body, 'orders_outbox_backlog')).toEqual(['orders_outbox_backlog 2']);
    const age = Number(samples(body, 'orders_outbox_oldest_age_seconds')[0].split(' ')[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(600);

    const withoutOutbox = new Registry();
    new OutboxMetrics(withoutOutbox, new OutboxBacklog());
    expect(await withoutOutbox.metrics()).not.toContain('orders_outbox');
  });
});

describe('metrics of an app with an outbox while things go wrong', () => {
  const service = 'metrics-operations';
  let nats: PrivateNatsServer;
  let database: TestDatabase;
  let app: INestApplication;

  @Controller()
  class PoisonedController {
    @OnEvent(Probe)
    async probe({ data }: { data: { behaviour: string } }): Promise<void> {
      if (data.behaviour === 'poison') throw new PermanentFailure('this probe can never be handled');
    }
  }

  async function scrape(): Promise<string> {
    return (await fetch(`${await app.getUrl()}/metrics`)).text();
  }

  /** The value of a metric's only sample, undefined when the scrape has none. */
  async function valueOf(name: string): Promise<number | undefined> {
    const [sample] = samples(await scrape(), name);
    return sample === undefined ? undefined : Number(sample.split(' ')[1]);
  }

  const publishProbes = (...behaviours: Array<'succeed' | 'poison'>) =>
    app.get(MessageTransactions).run((tx) => tx.publish(...behaviours.map((behaviour) => Probe.create({ behaviour }, { correlationId: randomUUID() }))));

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    database = await createTestDatabase(service);
    const options = postgresOptions({ url: database.url, applicationName: service, entities: UNIT_OF_WORK_ENTITIES, migrations: UNIT_OF_WORK_MIGRATIONS });
    await runMigrations(options);
    @Module({
      imports: [
        TypeOrmModule.forRoot(options),
        MessagingModule.forRoot({ serviceName: service, natsUrl: nats.url, outbox: { pollIntervalMs: 200, publishTimeoutMs: 1_000 } }),
        MetricsModule.forRoot({ service }),
      ],
      controllers: [PoisonedController],
    })
    class OperationsTestModule {}
    app = await startProbeApp(OperationsTestModule);
  });

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  it('counts the dead letter of a handler that failed for good', async () => {
    await publishProbes('poison');

    await waitFor(async () => new RegExp(`^orders_dead_letters\\{service="${service}"\\} 1$`, 'm').test(await scrape()), {
      timeoutMs: 15_000,
      description: 'the dead letter to be counted',
    });
  });

  it('shows the outbox backlog growing while NATS is down and published once it is back', async () => {
    await waitFor(async () => (await valueOf('orders_outbox_backlog')) === 0, { timeoutMs: 10_000, description: 'every event to be published' });

    await nats.stop();
    await publishProbes('succeed', 'succeed', 'succeed');
    await waitFor(async () => (await valueOf('orders_outbox_backlog')) === 3, { timeoutMs: 10_000, description: 'the unpublished events to be counted' });
    expect(await valueOf('orders_outbox_oldest_age_seconds')).toBeGreaterThan(0);

    await nats.start();
    await waitFor(async () => (await valueOf('orders_outbox_backlog')) === 0, { timeoutMs: 30_000, description: 'the backlog to be published' });
    expect(await valueOf('orders_outbox_oldest_age_seconds')).toBe(0);
  });
});
