import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, GetOrder, OrderPlaced, QueryRequest, QueryResponse } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { createTestDatabase, startPrivateNatsServer, TestDatabase, PrivateNatsServer, waitFor } from '@orders/testing';
import { DataSource } from 'typeorm';
import { JetStreamContext, NatsConnectionManager, OnEvent, OnQuery, QueryClient, QueryFailure } from '../src';
import { effectsOf, migratedDatabase, startConsumerApp, TEST_CALLERS } from './support/test-app';

const CONSUMER = 'messaging-test-order-placed';

/** Failures to inject, per order id: how many deliveries should throw before one succeeds. */
const transientFailures = new Map<string, number>();

@Controller()
class TestHandlers {
  constructor(private readonly transactions: MessageTransactions) {}

  @OnEvent(OrderPlaced, { retryBaseDelayMs: 50, retryMaxDelayMs: 200 })
  async onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    const remaining = transientFailures.get(event.data.orderId) ?? 0;
    if (remaining > 0) {
      transientFailures.set(event.data.orderId, remaining - 1);
      throw new Error('simulated transient failure');
    }
    await this.transactions.processOnce(event, context.consumer, async (tx) => {
      await tx.query(`INSERT INTO effects (consumer, event_id, order_id) VALUES ($1, $2, $3)`, [context.consumer, event.id, event.data.orderId]);
    });
  }

  @OnQuery(GetOrder)
  async getOrder(@Payload() request: QueryRequest<typeof GetOrder>): Promise<QueryResponse<typeof GetOrder>> {
    if (request.orderId.startsWith('00000000')) throw new QueryFailure('NOT_FOUND', 'no such order');
    const now = new Date().toISOString();
    return {
      orderId: request.orderId,
      customerId: 'c',
      status: 'PENDING' as const,
      items: [],
      total: null,
      cancellationReason: null,
      timeline: [],
      createdAt: now,
      updatedAt: now,
    };
  }
}

function placed(orderId = crypto.randomUUID()) {
  return OrderPlaced.create(
    {
      orderId,
      customerId: 'customer-1',
      items: [{ sku: 'SKU-1', quantity: 1 }],
      shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      paymentToken: 'tok_visa',
    },
    { correlationId: `test-${orderId}` },
  );
}

describe('messaging on real Postgres and NATS JetStream', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let dataSource: DataSource;
  let transactions: MessageTransactions;

  const effectsFor = (orderId: string): Promise<number> => effectsOf(dataSource, CONSUMER, orderId);
  const outboxRow = async (id: string) => (await dataSource.query(`SELECT published_at FROM outbox WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('messaging'), startPrivateNatsServer()]);
    const options = await migratedDatabase(database.url, 'messaging-test');
    app = await startConsumerApp({ serviceName: 'messaging-test', natsUrl: nats.url, controllers: [TestHandlers], database: options });
    dataSource = app.get(DataSource);
    transactions = app.get(MessageTransactions);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  it('commits the business change and its event together, or neither', async () => {
    const kept = placed();
    const rolledBack = placed();
    await transactions.run(async (tx) => {
      await tx.query(`INSERT INTO effects (consumer, event_id, order_id) VALUES ($1, $2, $3)`, [CONSUMER, kept.id, kept.data.orderId]);
      await tx.publish(kept);
    });
    await expect(
      transactions.run(async (tx) => {
        await tx.query(`INSERT INTO effects (consumer, event_id, order_id) VALUES ($1, $2, $3)`, [CONSUMER, rolledBack.id, rolledBack.data.orderId]);
        await tx.publish(rolledBack);
        throw new Error('business rule failed after writing');
      }),
    ).rejects.toThrow('business rule failed');

    expect(await outboxRow(kept.id)).toBeDefined();
    expect(await outboxRow(rolledBack.id)).toBeUndefined();
    expect(await effectsFor(rolledBack.data.orderId)).toBe(0);
  });

  it('relays an outbox event to JetStream and the consumer applies it once', async () => {
    const event = placed();
    await transactions.run((tx) => tx.publish(event));
    await waitFor(async () => (await outboxRow(event.id)).published_at !== null, { timeoutMs: 10_000, description: 'outbox row published' });
    // The handler writes one effect row inside its inbox transaction.
    await waitFor(async () => (await effectsFor(event.data.orderId)) === 1, { timeoutMs: 10_000, description: 'event consumed' });
  });

  it('gives a redelivered event exactly one effect', async () => {
    const event = placed();
    const client = await connect({ servers: nats.url });
    const js = (await jetstreamManager(client)).jetstream();
    // Different Nats-Msg-Ids bypass JetStream's de-duplication, as a redelivery would.
    await js.publish(OrderPlaced.subject, JSON.stringify(event), { msgID: `${event.id}-a` });
    await js.publish(OrderPlaced.subject, JSON.stringify(event), { msgID: `${event.id}-b` });
    await client.close();
    const inboxRows = async () => Number((await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, [event.id]))[0].n);
    await waitFor(async () => (await inboxRows()) === 1 && (await effectsFor(event.data.orderId)) === 1, { timeoutMs: 10_000, description: 'event processed' });
    const consumerInfo = await (await app.get(NatsConnectionManager).jetstreamManager()).consumers.info('ORDER', CONSUMER);
    await waitFor(async () => (await (await app.get(NatsConnectionManager).jetstreamManager()).consumers.info('ORDER', CONSUMER)).num_ack_pending === 0, {
      timeoutMs: 10_000,
      description: 'both deliveries acked',
    });
    expect(consumerInfo.config.filter_subject).toBe('order.placed.*');
    expect(await effectsFor(event.data.orderId)).toBe(1);
  });

  it('lets JetStream drop a second publish with the same event id', async () => {
    const event = placed();
    const client = await connect({ servers: nats.url });
    const js = (await jetstreamManager(client)).jetstream();
    const first = await js.publish(OrderPlaced.subject, JSON.stringify(event), { msgID: event.id });
    const second = await js.publish(OrderPlaced.subject, JSON.stringify(event), { msgID: event.id });
    await client.close();
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
  });

  it('redelivers after a transient handler failure instead of losing the event', async () => {
    const event = placed();
    transientFailures.set(event.data.orderId, 2);
    await transactions.run((tx) => tx.publish(event));
    await waitFor(async () => (await effectsFor(event.data.orderId)) === 1, { timeoutMs: 10_000, description: 'processed after retries' });
    expect(transientFailures.get(event.data.orderId)).toBe(0);
  });

  it('keeps events in the outbox while NATS is down and publishes them when it returns', async () => {
    await nats.stop();
    const event = placed();
    await transactions.run((tx) => tx.publish(event));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await outboxRow(event.id)).published_at).toBeNull();

    await nats.start();
    await waitFor(async () => (await outboxRow(event.id)).published_at !== null, { timeoutMs: 30_000, description: 'published after NATS returned' });
    await waitFor(async () => (await effectsFor(event.data.orderId)) === 1, { timeoutMs: 30_000, description: 'consumed after NATS returned' });
  }, 60_000);

  it('answers queries over request/reply, and reports errors and missing responders', async () => {
    const queries = app.get(QueryClient);
    const orderId = crypto.randomUUID();
    const asked = TEST_CALLERS.askedBy('c');
    await expect(queries.request(GetOrder, { orderId }, asked)).resolves.toMatchObject({ orderId, status: 'PENDING' });
    await expect(queries.request(GetOrder, { orderId: '00000000-0000-4000-8000-000000000000' }, asked)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(queries.request(GetOrder, { orderId: 'not-a-uuid' }, asked)).rejects.toThrow();
    await expect(queries.request(GetOrder, { orderId })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const nobody = { ...GetOrder, subject: 'query.nobody.listens' } as typeof GetOrder;
    await expect(queries.request(nobody, { orderId }, { ...asked, timeoutMs: 500 })).rejects.toBeInstanceOf(QueryFailure);
  });
});

describe('the outbox: published after the commit, swept when that did not happen', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let dataSource: DataSource;

  const publishedAt = async (id: string): Promise<Date | null> => (await dataSource.query(`SELECT published_at FROM outbox WHERE id = $1`, [id]))[0].published_at;

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('messaging_outbox'), startPrivateNatsServer()]);
    const options = await migratedDatabase(database.url, 'messaging-outbox-test');
    // The sweep takes only rows an hour old, so a row published within the test went out at its
    // commit; and only a unit of work marks it, as an idle process would mark it after an hour.
    app = await startConsumerApp({
      serviceName: 'messaging-test',
      natsUrl: nats.url,
      controllers: [TestHandlers],
      database: options,
      outbox: { pollIntervalMs: 200, sweepAfterMs: 3_600_000, markIntervalMs: 3_600_000 },
    });
    dataSource = app.get(DataSource);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
    await database?.drop();
  });

  it('publishes a committed event from the committing process, and its next unit of work marks the row in the statement it sends first', async () => {
    const transactions = app.get(MessageTransactions);
    const markedBy = async (unitOfWork: () => Promise<unknown>, description: string) => {
      const event = placed();
      await transactions.run((tx) => tx.publish(event));
      await waitFor(async () => (await effectsOf(dataSource, CONSUMER, event.data.orderId)) === 1, { timeoutMs: 10_000, description: 'event consumed' });
      await waitFor(
        async () => {
          await unitOfWork();
          return (await publishedAt(event.id)) !== null;
        },
        { timeoutMs: 10_000, description: `outbox row marked by ${description}` },
      );
    };
    await markedBy(() => transactions.processOnce(placed(), 'marking-test', async () => undefined), "a handler's inbox row");
    await markedBy(() => transactions.run((tx) => tx.publish(placed())), 'the outbox row of the next event');
    await markedBy(() => transactions.run(async () => undefined), 'a statement of its own');
  });

  it('sweeps a row its process committed but never published (it stopped right after the commit)', async () => {
    const event = placed();
    await dataSource.query(`INSERT INTO outbox (id, subject, payload, headers, created_at) VALUES ($1, $2, $3, '{}', now() - interval '2 hours')`, [
      event.id,
      OrderPlaced.subject,
      JSON.stringify(event),
    ]);
    await waitFor(async () => (await publishedAt(event.id)) !== null, { timeoutMs: 10_000, description: 'overdue row swept' });
    await waitFor(async () => (await effectsOf(dataSource, CONSUMER, event.data.orderId)) === 1, { timeoutMs: 10_000, description: 'swept event consumed' });
  });

  it('leaves a young unpublished row to the process that committed it', async () => {
    const event = placed();
    await dataSource.query(`INSERT INTO outbox (id, subject, payload, headers) VALUES ($1, $2, $3, '{}')`, [event.id, OrderPlaced.subject, JSON.stringify(event)]);
    // Several sweeps run meanwhile; none takes a row younger than sweepAfterMs.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await publishedAt(event.id)).toBeNull();
    expect(await effectsOf(dataSource, CONSUMER, event.data.orderId)).toBe(0);
  });
});
