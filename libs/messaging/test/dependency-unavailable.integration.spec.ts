import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, HEADERS } from '@orders/contracts';
import { BulkheadFullError, CircuitOpenError, createResiliencePolicy, NetworkError, ResiliencePolicy } from '@orders/resilience';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { DeadLetters, HandledMessage, JetStreamContext, NatsConnectionManager, OnEvent } from '../src';
import { catalogOf, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Charged = orderTestEvent('order.charged');
const Shipped = orderTestEvent('order.shipped');
const Refunded = orderTestEvent('order.refunded');
const CHARGING = 'unavailable-charging';
const SHIPPING = 'unavailable-shipping';
const CHARGING_CONSUMER = `${CHARGING}-order-charged`;
const SHIPPING_CONSUMER = `${SHIPPING}-order-shipped`;
const REFUNDING_CONSUMER = `${CHARGING}-order-refunded`;
const MAX_DELIVERIES = 3;
// Shorter than the holds below, so a held message the server stopped hearing about would be redelivered.
const ACK_WAIT_MS = 1_000;
// Longer than any test: a message held this long is only ever given back by the server closing.
const LONG_OUTAGE_MS = 10 * 60_000;

/** What the handler throws on its n-th run (0-based) for an order; nothing once it returns undefined. */
type Fault = (run: number) => unknown;
const faults = new Map<string, Fault>();

interface Run {
  deliveryCount: number;
  isRetry: boolean;
  succeeded?: boolean;
}
/** Every run of a handler, per consumer and order. */
const runs = new Map<string, Run[]>();
const key = (consumer: string, orderId: string) => `${consumer}/${orderId}`;
const runsOf = (consumer: string, orderId: string) => runs.get(key(consumer, orderId)) ?? [];

function run(context: JetStreamContext, orderId: string): void {
  const runKey = key(context.consumer, orderId);
  const previous = runs.get(runKey) ?? [];
  const current: Run = { deliveryCount: context.deliveryCount, isRetry: context.isRetry };
  runs.set(runKey, [...previous, current]);
  const error = faults.get(runKey)?.(previous.length);
  if (error !== undefined) throw error;
  current.succeeded = true;
}

/** A provider behind a real resilience policy, down for its first `failingCalls` calls. */
const provider = { policy: undefined as ResiliencePolicy | undefined, calls: 0, failingCalls: 0 };

@Controller()
class ChargingHandlers {
  @OnEvent(Charged, { maxDeliveries: MAX_DELIVERIES, ackWaitMs: ACK_WAIT_MS, retryBaseDelayMs: 50, retryMaxDelayMs: 2_000 })
  async onCharged(@Payload() event: EnvelopeOf<typeof Charged>, @Ctx() context: JetStreamContext): Promise<void> {
    run(context, event.data.orderId);
  }

  @OnEvent(Refunded, { maxDeliveries: MAX_DELIVERIES, ackWaitMs: ACK_WAIT_MS, retryBaseDelayMs: 50, retryMaxDelayMs: 2_000 })
  async onRefunded(@Payload() event: EnvelopeOf<typeof Refunded>, @Ctx() context: JetStreamContext): Promise<void> {
    await provider.policy?.execute(async () => {
      if (++provider.calls <= provider.failingCalls) throw new NetworkError('test-provider unreachable');
    });
    run(context, event.data.orderId);
  }
}

@Controller()
class ShippingHandlers {
  @OnEvent(Shipped, { maxDeliveries: MAX_DELIVERIES, ackWaitMs: ACK_WAIT_MS, retryBaseDelayMs: 50, retryMaxDelayMs: LONG_OUTAGE_MS })
  async onShipped(@Payload() event: EnvelopeOf<typeof Shipped>, @Ctx() context: JetStreamContext): Promise<void> {
    run(context, event.data.orderId);
  }
}

/** The observer's view of one app: the outcome of every delivery it finished with. */
class RecordedOutcomes {
  readonly handled: HandledMessage[] = [];
  readonly observer = { handled: (message: HandledMessage) => this.handled.push(message) };
  of(consumer: string): string[] {
    return this.handled.filter((message) => message.consumer === consumer).map((message) => message.outcome);
  }
}

describe('a dependency that is unavailable does not use up the deliveries of the messages that need it', () => {
  let nats: PrivateNatsServer;
  let charging: INestApplication;
  let chargingOutcomes: RecordedOutcomes;
  let deadLetters: DeadLetters;

  const publish = async (definition: typeof Charged, orderId = crypto.randomUUID()) => {
    const event = definition.create({ orderId }, { correlationId: `corr-${orderId}` });
    const sequence = await publishRaw(nats.url, definition.subject, JSON.stringify(event), { [HEADERS.correlationId]: event.correlationId, 'Nats-Msg-Id': event.id });
    return { orderId, sequence };
  };
  const deadLettersOf = async (sequence: number) => (await deadLetters.list({ limit: 100 })).deadLetters.filter((letter) => letter.streamSequence === sequence);
  const consumerInfo = async (app: INestApplication, consumer: string) => (await app.get(NatsConnectionManager).jetstreamManager()).consumers.info('ORDER', consumer);

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    chargingOutcomes = new RecordedOutcomes();
    charging = await startConsumerApp({
      serviceName: CHARGING,
      natsUrl: nats.url,
      controllers: [ChargingHandlers],
      server: { catalog: catalogOf(Charged, Refunded), observer: chargingOutcomes.observer },
    });
    deadLetters = charging.get(DeadLetters);
  }, 60_000);

  afterAll(async () => {
    await charging?.close();
    await nats?.dispose();
  });

  it.each([
    ['an open circuit', () => new CircuitOpenError('test-provider', 400)],
    ['an open circuit that reached the transport as a plain object', () => ({ name: 'CircuitOpenError', message: 'The circuit to test-provider is open', retryAfterMs: 400 })],
    ['a full bulkhead', () => new BulkheadFullError('test-provider')],
  ])(
    'holds a message that fails on %s more often than it may be delivered, and handles it once the dependency is back',
    async (_case, unavailable) => {
      const orderId = crypto.randomUUID();
      const failingRuns = MAX_DELIVERIES + 2;
      faults.set(key(CHARGING_CONSUMER, orderId), (attempt) => (attempt < failingRuns ? unavailable() : undefined));
      const outcomesBefore = chargingOutcomes.of(CHARGING_CONSUMER).length;
      const { sequence } = await publish(Charged, orderId);

      await waitFor(() => runsOf(CHARGING_CONSUMER, orderId).some((attempt) => attempt.succeeded), { timeoutMs: 20_000, description: 'the message to be handled' });
      await waitFor(async () => (await consumerInfo(charging, CHARGING_CONSUMER)).num_ack_pending === 0, { description: 'the message to be acked' });

      const attempts = runsOf(CHARGING_CONSUMER, orderId);
      expect(attempts).toHaveLength(failingRuns + 1);
      // JetStream delivered it once: the holds outlasted the ack wait, yet the server never redelivered it.
      expect(attempts.map((attempt) => attempt.deliveryCount)).toEqual(attempts.map(() => 1));
      // A run after a hold may follow one whose call reached the provider before the circuit opened.
      expect(attempts.map((attempt) => attempt.isRetry)).toEqual([false, ...attempts.slice(1).map(() => true)]);
      expect((await consumerInfo(charging, CHARGING_CONSUMER)).num_redelivered).toBe(0);
      expect(await deadLettersOf(sequence)).toEqual([]);
      expect(chargingOutcomes.of(CHARGING_CONSUMER).slice(outcomesBefore)).toEqual(['ok']);
    },
    30_000,
  );

  it('holds a message through an outage of a provider behind a real resilience policy, whose failed probes open the circuit again', async () => {
    // Two calls open the circuit: the first delivery spends itself on them, then the circuit's probes fail three times.
    provider.policy = createResiliencePolicy({ name: 'test-provider', retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 }, breaker: { threshold: 2, halfOpenAfterMs: 300 } });
    provider.calls = 0;
    provider.failingCalls = 5;
    const orderId = crypto.randomUUID();
    const { sequence } = await publish(Refunded, orderId);

    await waitFor(() => runsOf(REFUNDING_CONSUMER, orderId).length > 0, { timeoutMs: 20_000, description: 'the message to be handled once the provider is back' });

    expect(provider.calls).toBe(provider.failingCalls + 1);
    // Only the failures that reached the provider spent a delivery; the outage after that spent none.
    expect(runsOf(REFUNDING_CONSUMER, orderId)).toEqual([{ deliveryCount: 2, isRetry: true, succeeded: true }]);
    expect(await deadLettersOf(sequence)).toEqual([]);
  }, 30_000);

  it('counts only the failures of the message itself towards its deliveries', async () => {
    const orderId = crypto.randomUUID();
    const unavailableRuns = MAX_DELIVERIES + 1;
    faults.set(key(CHARGING_CONSUMER, orderId), (attempt) => (attempt < unavailableRuns ? new CircuitOpenError('test-provider', 100) : new Error('the provider answered 503')));
    const { sequence } = await publish(Charged, orderId);

    const [letter] = await waitFor(async () => ((await deadLettersOf(sequence)).length > 0 ? deadLettersOf(sequence) : undefined), {
      timeoutMs: 20_000,
      description: 'the dead letter',
    });
    expect(letter).toMatchObject({ kind: 'exhausted', attempts: MAX_DELIVERIES, consumer: CHARGING_CONSUMER });
    const attempts = runsOf(CHARGING_CONSUMER, orderId);
    expect(attempts.slice(0, unavailableRuns).map((attempt) => attempt.deliveryCount)).toEqual(Array(unavailableRuns).fill(1));
    expect(attempts.slice(unavailableRuns).map((attempt) => attempt.deliveryCount)).toEqual([1, 2, 3]);
  }, 30_000);

  it('still dead-letters a message whose own failures outlast its deliveries', async () => {
    const orderId = crypto.randomUUID();
    faults.set(key(CHARGING_CONSUMER, orderId), () => new Error('the provider answered 503'));
    const { sequence } = await publish(Charged, orderId);

    const [letter] = await waitFor(async () => ((await deadLettersOf(sequence)).length > 0 ? deadLettersOf(sequence) : undefined), {
      timeoutMs: 20_000,
      description: 'the dead letter',
    });
    expect(letter).toMatchObject({ kind: 'exhausted', attempts: MAX_DELIVERIES, error: 'the provider answered 503', consumer: CHARGING_CONSUMER });
    expect(runsOf(CHARGING_CONSUMER, orderId).map((attempt) => attempt.deliveryCount)).toEqual([1, 2, 3]);
  }, 30_000);

  it('starts no other message while one is held, and gives both back at once when the server closes', async () => {
    const outcomes = new RecordedOutcomes();
    const start = (observer = outcomes.observer) =>
      startConsumerApp({ serviceName: SHIPPING, natsUrl: nats.url, controllers: [ShippingHandlers], server: { catalog: catalogOf(Shipped), observer } });
    const shipping = await start();
    const held = crypto.randomUUID();
    faults.set(key(SHIPPING_CONSUMER, held), (attempt) => (attempt === 0 ? new CircuitOpenError('test-provider', LONG_OUTAGE_MS) : undefined));
    await publish(Shipped, held);
    await waitFor(() => runsOf(SHIPPING_CONSUMER, held).length === 1, { description: 'the first run of the held message' });
    const { orderId: next, sequence: nextSequence } = await publish(Shipped);
    await waitFor(async () => (await consumerInfo(shipping, SHIPPING_CONSUMER)).delivered.stream_seq >= nextSequence, {
      description: 'the next message to reach the held consumer',
    });

    // Closing waits for running handlers; it must not wait out the held message's outage.
    await shipping.close();

    expect(runsOf(SHIPPING_CONSUMER, held)).toHaveLength(1);
    expect(runsOf(SHIPPING_CONSUMER, next)).toEqual([]);
    // The held message failed and comes back later; the next one never started.
    expect(outcomes.of(SHIPPING_CONSUMER)).toEqual(['retry']);

    const restarted = await start(new RecordedOutcomes().observer);
    try {
      // Handed back, not acked: both come again. (How many deliveries that takes is nats-server's
      // business: 2.9 may first hand them to the pull requests the closed consumer left behind.)
      await waitFor(() => [held, next].every((orderId) => runsOf(SHIPPING_CONSUMER, orderId).some((attempt) => attempt.succeeded)), {
        description: 'both messages to be handled after the restart',
      });
    } finally {
      await restarted.close();
    }
  }, 30_000);
});
