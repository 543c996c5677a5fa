import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, HEADERS } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { PermanentFailure } from '@orders/shared-kernel';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { DataSource } from 'typeorm';
import { DeadLetterNotFound, DeadLetters, DeadLetterSummary, JetStreamContext, NatsConnectionManager, OnEvent, REPLAYED_FROM_HEADER } from '../src';
import { catalogOf, effectsOf, migratedDatabase, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Checked = orderTestEvent('order.checked');
const SUBJECT = Checked.subject;
const SERVICE_A = 'dlq-a';
const SERVICE_B = 'dlq-b';
const CONSUMER_A = `${SERVICE_A}-order-checked`;
const CONSUMER_B = `${SERVICE_B}-order-checked`;
const MAX_DELIVERIES = 3;

type Fault = { kind: 'transient'; times: number; retryAfterMs?: number } | { kind: 'permanent' };

/** Faults to inject, per consumer and order. */
const faults = new Map<string, Fault>();
interface Delivery {
  attempt: number;
  at: number;
  replayedFrom?: string;
  /** Whether the inbox let the handler's transaction through (false for a duplicate). */
  firstTime?: boolean;
}

/** Every delivery a handler saw, per consumer and order. */
const deliveries = new Map<string, Delivery[]>();
const key = (consumer: string, orderId: string) => `${consumer}/${orderId}`;
const deliveriesTo = (consumer: string, orderId: string) => deliveries.get(key(consumer, orderId)) ?? [];

@Controller()
class CheckHandlers {
  constructor(private readonly transactions: MessageTransactions) {}

  @OnEvent(Checked, { maxDeliveries: MAX_DELIVERIES, retryBaseDelayMs: 50, retryMaxDelayMs: 2_000 })
  async onChecked(@Payload() event: EnvelopeOf<typeof Checked>, @Ctx() context: JetStreamContext): Promise<void> {
    const faultKey = key(context.consumer, event.data.orderId);
    const seen: Delivery = { attempt: context.deliveryCount, at: Date.now(), replayedFrom: context.header(REPLAYED_FROM_HEADER) };
    deliveries.set(faultKey, [...(deliveries.get(faultKey) ?? []), seen]);
    const fault = faults.get(faultKey);
    if (fault?.kind === 'permanent') throw new PermanentFailure('the provider refuses this request');
    if (fault?.kind === 'transient' && fault.times > 0) {
      fault.times--;
      throw Object.assign(new Error('simulated provider outage'), { retryAfterMs: fault.retryAfterMs });
    }
    seen.firstTime = await this.transactions.processOnce(event, context.consumer, async (tx) => {
      await tx.query(`INSERT INTO effects (consumer, event_id, order_id) VALUES ($1, $2, $3)`, [context.consumer, event.id, event.data.orderId]);
    });
  }
}

describe('retries and the dead-letter queue on real NATS JetStream and Postgres', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let serviceA: INestApplication;
  let serviceB: INestApplication;
  let dataSource: DataSource;
  let deadLetters: DeadLetters;

  const checked = (orderId = crypto.randomUUID()) => Checked.create({ orderId }, { correlationId: `corr-${orderId}` });
  const publish = (event: ReturnType<typeof checked>) =>
    publishRaw(nats.url, SUBJECT, JSON.stringify(event), { [HEADERS.correlationId]: event.correlationId, 'Nats-Msg-Id': event.id });
  const effects = (consumer: string, orderId: string) => effectsOf(dataSource, consumer, orderId);
  const deadLetterOf = (streamSequence: number, consumer = CONSUMER_A) =>
    waitFor(async () => (await deadLetters.list({ limit: 100 })).deadLetters.find((letter) => letter.streamSequence === streamSequence && letter.consumer === consumer), {
      timeoutMs: 15_000,
      description: `the dead letter of #${streamSequence}`,
    });
  const isDeadLettered = async (streamSequence: number) =>
    (await deadLetters.list({ limit: 100 })).deadLetters.some((letter: DeadLetterSummary) => letter.streamSequence === streamSequence);

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('dead_letters'), startPrivateNatsServer()]);
    const options = await migratedDatabase(database.url, 'dead-letters-test');
    const start = (serviceName: string) =>
      startConsumerApp({ serviceName, natsUrl: nats.url, controllers: [CheckHandlers], database: options, server: { catalog: catalogOf(Checked) } });
    [serviceA, serviceB] = await Promise.all([start(SERVICE_A), start(SERVICE_B)]);
    dataSource = serviceA.get(DataSource);
    deadLetters = serviceA.get(DeadLetters);
  }, 60_000);

  afterAll(async () => {
    await serviceA?.close();
    await serviceB?.close();
    await nats?.dispose();
    await database?.drop();
  });

  describe('poison messages', () => {
    it('dead-letters malformed JSON and schema-invalid events at once and keeps processing the next ones', async () => {
      const malformed = await publishRaw(nats.url, SUBJECT, '{"id": "not even json', { [HEADERS.correlationId]: 'corr-poison' });
      const invalid = checked();
      const invalidSequence = await publishRaw(nats.url, SUBJECT, JSON.stringify({ ...invalid, data: { orderId: 'not-a-uuid' } }), { [HEADERS.correlationId]: 'corr-invalid' });
      const next = checked();
      await publish(next);

      await waitFor(async () => (await effects(CONSUMER_A, next.data.orderId)) === 1, { description: 'the next event to be processed' });
      const malformedLetter = await deadLetters.get((await deadLetterOf(malformed)).id);
      expect(malformedLetter).toMatchObject({
        subject: SUBJECT,
        stream: 'ORDER',
        streamSequence: malformed,
        service: SERVICE_A,
        consumer: CONSUMER_A,
        kind: 'permanent',
        attempts: 1,
        headers: { [HEADERS.correlationId]: 'corr-poison' },
        payload: '{"id": "not even json',
        payloadEncoding: 'utf8',
      });
      expect(malformedLetter.error).toMatch(/not valid JSON/);
      expect(new Date(malformedLetter.failedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

      const invalidLetter = await deadLetters.get((await deadLetterOf(invalidSequence)).id);
      expect(invalidLetter).toMatchObject({ kind: 'permanent', attempts: 1, payloadEncoding: 'json', payload: { id: invalid.id, data: { orderId: 'not-a-uuid' } } });
      expect(invalidLetter.error).toMatch(/Invalid order\.checked v1/);
      // Both services dead-lettered their own copy; neither handler ever saw the poison.
      await deadLetterOf(invalidSequence, CONSUMER_B);
      expect(deliveriesTo(CONSUMER_A, invalid.data.orderId)).toHaveLength(0);
    });

    it('dead-letters a PermanentFailure thrown by the handler on its first delivery', async () => {
      const event = checked();
      faults.set(key(CONSUMER_A, event.data.orderId), { kind: 'permanent' });
      const sequence = await publish(event);

      const letter = await deadLetters.get((await deadLetterOf(sequence)).id);
      expect(letter).toMatchObject({ kind: 'permanent', attempts: 1, error: 'the provider refuses this request', headers: { 'Nats-Msg-Id': event.id } });
      expect(deliveriesTo(CONSUMER_A, event.data.orderId)).toHaveLength(1);
      expect(await effects(CONSUMER_A, event.data.orderId)).toBe(0);
    });
  });

  describe('transient failures', () => {
    it('redelivers with backoff and succeeds without dead-lettering', async () => {
      const event = checked();
      faults.set(key(CONSUMER_A, event.data.orderId), { kind: 'transient', times: MAX_DELIVERIES - 1 });
      const sequence = await publish(event);

      await waitFor(async () => (await effects(CONSUMER_A, event.data.orderId)) === 1, { description: 'the event to succeed on its last delivery' });
      expect(deliveriesTo(CONSUMER_A, event.data.orderId).map((delivery) => delivery.attempt)).toEqual([1, 2, 3]);
      expect(await isDeadLettered(sequence)).toBe(false);
    });

    it('waits at least as long as the failing side asked before redelivering', async () => {
      const event = checked();
      faults.set(key(CONSUMER_A, event.data.orderId), { kind: 'transient', times: 1, retryAfterMs: 1_500 });
      await publish(event);

      await waitFor(async () => (await effects(CONSUMER_A, event.data.orderId)) === 1, { description: 'the event to succeed after the requested pause' });
      const [first, second] = deliveriesTo(CONSUMER_A, event.data.orderId);
      // The consumer's own backoff (at most 50 ms on the first retry) alone would redeliver much sooner.
      expect(second.at - first.at).toBeGreaterThanOrEqual(1_400);
    });

    it('dead-letters a message after its last allowed delivery, with the attempts made', async () => {
      const event = checked();
      faults.set(key(CONSUMER_A, event.data.orderId), { kind: 'transient', times: Number.MAX_SAFE_INTEGER });
      const sequence = await publish(event);

      const letter = await deadLetters.get((await deadLetterOf(sequence)).id);
      expect(letter).toMatchObject({ kind: 'exhausted', attempts: MAX_DELIVERIES, error: 'simulated provider outage', consumer: CONSUMER_A });
      expect(deliveriesTo(CONSUMER_A, event.data.orderId).map((delivery) => delivery.attempt)).toEqual([1, 2, 3]);
      const jsm = await serviceA.get(NatsConnectionManager).jetstreamManager();
      await waitFor(async () => (await jsm.consumers.info('ORDER', CONSUMER_A)).num_ack_pending === 0, { description: 'the original to be acked' });
      // Service B was not affected by A's outage.
      await waitFor(async () => (await effects(CONSUMER_B, event.data.orderId)) === 1, { description: 'service B to process the event' });
    });
  });

  describe('operations', () => {
    it('lists, pages, counts and discards dead letters', async () => {
      const events = [checked(), checked(), checked()];
      const sequences: number[] = [];
      for (const event of events) {
        faults.set(key(CONSUMER_A, event.data.orderId), { kind: 'permanent' });
        sequences.push(await publish(event));
      }
      const letters = await Promise.all(sequences.map((sequence) => deadLetterOf(sequence)));
      const ids = letters.map((letter) => letter.id).sort((a, b) => a - b);

      const all = await deadLetters.list({ service: SERVICE_A, limit: 100 });
      expect(all.deadLetters.map((letter) => letter.id)).toEqual(expect.arrayContaining(ids));
      expect(all.deadLetters.every((letter) => letter.service === SERVICE_A)).toBe(true);
      expect(all.nextAfter).toBeNull();
      const firstPage = await deadLetters.list({ service: SERVICE_A, limit: 1, after: ids[0] - 1 });
      expect(firstPage).toEqual({ deadLetters: [expect.objectContaining({ id: ids[0] })], nextAfter: ids[0] });
      const secondPage = await deadLetters.list({ service: SERVICE_A, limit: 1, after: ids[0] });
      expect(secondPage.deadLetters[0].id).toBe(ids[1]);

      const depth = await deadLetters.depth(SERVICE_A);
      expect(depth).toBe(all.deadLetters.length);
      expect(await deadLetters.depthByService()).toMatchObject({ [SERVICE_A]: depth });
      expect(await deadLetters.depth()).toBe((await deadLetters.list({ limit: 100 })).deadLetters.length);

      await deadLetters.discard(ids[0]);
      await expect(deadLetters.get(ids[0])).rejects.toBeInstanceOf(DeadLetterNotFound);
      await expect(deadLetters.discard(ids[0])).rejects.toBeInstanceOf(DeadLetterNotFound);
      expect(await deadLetters.depth(SERVICE_A)).toBe(depth - 1);
    });

    it('answers not found for an id that holds no dead letter', async () => {
      await expect(deadLetters.get(999_999)).rejects.toBeInstanceOf(DeadLetterNotFound);
      await expect(deadLetters.replay(999_999)).rejects.toBeInstanceOf(DeadLetterNotFound);
      await expect(deadLetters.discard(999_999)).rejects.toBeInstanceOf(DeadLetterNotFound);
    });

    it('replays a failed event once the fault is fixed: the failed consumer processes it once, the others skip it', async () => {
      const event = checked();
      faults.set(key(CONSUMER_A, event.data.orderId), { kind: 'permanent' });
      const sequence = await publish(event);
      const { id } = await deadLetterOf(sequence);
      await waitFor(async () => (await effects(CONSUMER_B, event.data.orderId)) === 1, { description: 'service B to process the event' });

      faults.delete(key(CONSUMER_A, event.data.orderId));
      const replayed = await deadLetters.replay(id);

      expect(replayed).toMatchObject({ id, subject: SUBJECT, stream: 'ORDER' });
      expect(replayed.sequence).toBeGreaterThan(sequence);
      await waitFor(async () => (await effects(CONSUMER_A, event.data.orderId)) === 1, { description: 'service A to process the replay' });
      // A delivery is recorded when handling starts, and whether it was the first time once it ends.
      await waitFor(() => deliveriesTo(CONSUMER_B, event.data.orderId)[1]?.firstTime !== undefined, { description: 'service B to handle the replay' });
      expect(deliveriesTo(CONSUMER_B, event.data.orderId)[1]).toMatchObject({ replayedFrom: String(id), firstTime: false });
      expect(await effects(CONSUMER_B, event.data.orderId)).toBe(1);
      await expect(deadLetters.get(id)).rejects.toBeInstanceOf(DeadLetterNotFound);
    });

    it('makes replaying an event the consumer already processed a no-op', async () => {
      const event = checked();
      const sequence = await publish(event);
      await waitFor(async () => (await effects(CONSUMER_A, event.data.orderId)) === 1, { description: 'the event to be processed' });
      // As if a duplicate delivery had been dead-lettered after the first one succeeded.
      const id = await deadLetters.record({
        subject: SUBJECT,
        data: new TextEncoder().encode(JSON.stringify(event)),
        stream: 'ORDER',
        streamSequence: sequence,
        service: SERVICE_A,
        consumer: CONSUMER_A,
        error: 'timed out',
        kind: 'exhausted',
        attempts: MAX_DELIVERIES,
      });

      await deadLetters.replay(id);

      await waitFor(() => deliveriesTo(CONSUMER_A, event.data.orderId).some((delivery) => delivery.replayedFrom === String(id) && delivery.firstTime === false), {
        description: 'service A to receive and skip the replay',
      });
      expect(await effects(CONSUMER_A, event.data.orderId)).toBe(1);
    });
  });
});
