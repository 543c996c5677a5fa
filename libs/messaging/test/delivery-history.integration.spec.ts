import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { PermanentFailure } from '@orders/shared-kernel';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { DataSource, DataSourceOptions } from 'typeorm';
import { DeadLetter, DeadLetters, MAX_HISTORY_ENTRIES, OnEvent, PrecedingEventMissing } from '../src';
import { catalogOf, migratedDatabase, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Failing = orderTestEvent('order.history-test');
const SERVICE = 'history-test';
const CONSUMER = `${SERVICE}-order-history-test`;
const MAX_DELIVERIES = 4;

@Controller()
class FailingHandler {
  static readonly earlyAttempts = new Map<string, number>();

  @OnEvent(Failing, { maxDeliveries: MAX_DELIVERIES, retryBaseDelayMs: 100, retryMaxDelayMs: 2_000 })
  async onFailing(@Payload() event: EnvelopeOf<typeof Failing>): Promise<void> {
    if (event.correlationId === 'poison') throw new PermanentFailure('refused at once');
    if (event.correlationId === 'early') {
      const attempt = (FailingHandler.earlyAttempts.get(event.data.orderId) ?? 0) + 1;
      FailingHandler.earlyAttempts.set(event.data.orderId, attempt);
      if (attempt < 3) throw new PrecedingEventMissing(`order ${event.data.orderId} is not known here yet`);
      return;
    }
    // Redelivered no sooner than this, so the test can swap replicas between two deliveries.
    throw Object.assign(new Error(`provider timed out for ${event.data.orderId}`), { retryAfterMs: 1_500 });
  }
}

describe('the history of failed deliveries a dead letter carries, on real NATS JetStream and Postgres', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let options: DataSourceOptions;
  const apps: INestApplication[] = [];

  const start = async (replica: string, withDatabase = true) => {
    const app = await startConsumerApp({
      serviceName: SERVICE,
      natsUrl: nats.url,
      controllers: [FailingHandler],
      database: withDatabase ? options : undefined,
      server: { catalog: catalogOf(Failing), replica },
    });
    apps.push(app);
    return app;
  };
  const publish = (correlationId: string) => publishRaw(nats.url, Failing.subject, JSON.stringify(Failing.create({ orderId: crypto.randomUUID() }, { correlationId })));
  const deadLetterOf = async (deadLetters: DeadLetters, streamSequence: number): Promise<DeadLetter> => {
    const summary = await waitFor(async () => (await deadLetters.list({ limit: 100 })).deadLetters.find((letter) => letter.streamSequence === streamSequence), {
      timeoutMs: 20_000,
      description: `the dead letter of #${streamSequence}`,
    });
    return deadLetters.get(summary.id);
  };
  const recordedFailures = async (app: INestApplication, streamSequence: number): Promise<number> => {
    const [{ count }] = await app.get(DataSource).query(`SELECT count(*)::int AS count FROM delivery_failures WHERE stream_sequence = $1`, [streamSequence]);
    return count as number;
  };

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('delivery_history'), startPrivateNatsServer()]);
    options = await migratedDatabase(database.url, 'delivery-history-test');
  }, 60_000);

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  afterAll(async () => {
    await nats?.dispose();
    await database?.drop();
  });

  it('records every failed delivery, whichever replica made it, and attaches them all to the dead letter', async () => {
    const first = await start('replica-a');
    const sequence = await publish('exhausted');
    await waitFor(async () => (await recordedFailures(first, sequence)) >= 2, { description: 'replica-a to fail twice' });
    await first.close();
    const second = await start('replica-b');

    const letter = await deadLetterOf(second.get(DeadLetters), sequence);

    expect(letter).toMatchObject({ kind: 'exhausted', attempts: MAX_DELIVERIES });
    expect(letter.history.map((failure) => failure.attempt)).toEqual([1, 2, 3, 4]);
    expect(letter.history[0].replica).toBe('replica-a');
    expect(letter.history.at(-1)?.replica).toBe('replica-b');
    expect(new Set(letter.history.map((failure) => failure.replica))).toEqual(new Set(['replica-a', 'replica-b']));
    for (const failure of letter.history) {
      expect(failure.error).toMatch(/^provider timed out for /);
      expect(new Date(failure.failedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    }
    // The rows left with the dead letter.
    await waitFor(async () => (await recordedFailures(second, sequence)) === 0, { description: 'the recorded failures to be deleted' });
  });

  it('gives a message refused at once a history of its one delivery', async () => {
    const app = await start('replica-a');
    const sequence = await publish('poison');

    const letter = await deadLetterOf(app.get(DeadLetters), sequence);

    expect(letter).toMatchObject({ kind: 'permanent', attempts: 1, history: [{ attempt: 1, replica: 'replica-a', error: 'refused at once', failedAt: expect.any(String) }] });
  });

  it('records nothing while a message waits for the event it depends on', async () => {
    const app = await start('replica-a');
    const sequence = await publish('early');

    await waitFor(() => [...FailingHandler.earlyAttempts.values()].includes(3), { description: 'the third delivery, which finds the preceding event' });
    expect(await recordedFailures(app, sequence)).toBe(0);
  });

  it('records no history in a service without a database', async () => {
    const app = await start('replica-a', false);
    const sequence = await publish('poison');

    expect(await deadLetterOf(app.get(DeadLetters), sequence)).toMatchObject({ kind: 'permanent', history: [] });
  });

  it('keeps the latest deliveries of a long history, each error on one line', async () => {
    const app = await start('replica-a', false);
    const deadLetters = app.get(DeadLetters);
    const history = Array.from({ length: MAX_HISTORY_ENTRIES + 5 }, (_, index) => ({
      attempt: index + 1,
      failedAt: new Date().toISOString(),
      replica: 'replica-a',
      error: `line one\nline two of failure ${index + 1}`,
    }));
    const id = await deadLetters.record({
      subject: Failing.subject,
      data: new TextEncoder().encode('{}'),
      stream: 'ORDER',
      streamSequence: 1_000_000,
      service: SERVICE,
      consumer: CONSUMER,
      error: 'waited too long',
      kind: 'exhausted',
      attempts: history.length,
      history,
    });

    const { history: kept } = await deadLetters.get(id);

    expect(kept).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(kept[0]).toMatchObject({ attempt: 6, error: 'line one line two of failure 6' });
    expect(kept.at(-1)?.attempt).toBe(MAX_HISTORY_ENTRIES + 5);
  });
});
