import { INestApplication } from '@nestjs/common';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { DeadLetters, JetStreamContext, OnEvent, PrecedingEventMissing } from '../src';
import { catalogOf, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Patient = orderTestEvent('order.patient-test');
const Abandoned = orderTestEvent('order.abandoned-test');
const SERVICE = 'preceding-test';
const MAX_DELIVERIES = 2;
const FAST_RETRIES = { maxDeliveries: MAX_DELIVERIES, retryBaseDelayMs: 20, retryMaxDelayMs: 100 };

/** Orders whose preceding event has been processed; the handlers below wait for it. */
const ready = new Set<string>();
const attempts = new Map<string, number[]>();

@Controller()
class WaitingHandlers {
  @OnEvent(Patient, { ...FAST_RETRIES, precedingEventWaitMs: 60_000 })
  async onPatient(@Payload() event: EnvelopeOf<typeof Patient>, @Ctx() context: JetStreamContext): Promise<void> {
    this.waitFor(event.data.orderId, context.deliveryCount);
  }

  @OnEvent(Abandoned, { ...FAST_RETRIES, precedingEventWaitMs: 500 })
  async onAbandoned(@Payload() event: EnvelopeOf<typeof Abandoned>, @Ctx() context: JetStreamContext): Promise<void> {
    this.waitFor(event.data.orderId, context.deliveryCount);
  }

  private waitFor(orderId: string, attempt: number): void {
    attempts.set(orderId, [...(attempts.get(orderId) ?? []), attempt]);
    if (!ready.has(orderId)) throw new PrecedingEventMissing(`order ${orderId} is not known here yet`);
  }
}

describe('an event that arrives before the event it depends on', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication;
  let deadLetters: DeadLetters;

  const publish = async (definition: typeof Patient) => {
    const event = definition.create({ orderId: crypto.randomUUID() }, { correlationId: 'preceding-test' });
    await publishRaw(nats.url, definition.subject, JSON.stringify(event));
    return event.data.orderId;
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    app = await startConsumerApp({ serviceName: SERVICE, natsUrl: nats.url, controllers: [WaitingHandlers], server: { catalog: catalogOf(Patient, Abandoned) } });
    deadLetters = app.get(DeadLetters);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('keeps being redelivered past the delivery limit while it may wait, and is handled once the other event was', async () => {
    const orderId = await publish(Patient);
    await waitFor(() => ((attempts.get(orderId)?.length ?? 0) > 2 * MAX_DELIVERIES ? true : undefined), { description: 'deliveries beyond the limit' });
    expect(await deadLetters.depth(SERVICE)).toBe(0);

    ready.add(orderId);
    const seen = await waitFor(
      () => {
        const deliveries = attempts.get(orderId) ?? [];
        return deliveries.length > 0 && ready.has(orderId) && deliveries[deliveries.length - 1] > 2 * MAX_DELIVERIES ? deliveries : undefined;
      },
      { description: 'the delivery after the preceding event' },
    );
    expect(seen.length).toBeGreaterThan(2 * MAX_DELIVERIES);
    expect(await deadLetters.depth(SERVICE)).toBe(0);
  });

  it('is dead-lettered once it has waited longer than allowed', async () => {
    const orderId = await publish(Abandoned);
    const letter = await waitFor(async () => (await deadLetters.list({ service: SERVICE })).deadLetters.find((candidate) => candidate.subject === Abandoned.subject), {
      description: 'the abandoned event to be dead-lettered',
    });
    expect(letter).toMatchObject({ kind: 'exhausted', consumer: `${SERVICE}-order-abandoned-test` });
    expect(letter.error).toMatch(/not known here yet|without being acknowledged/);
    expect(letter.attempts).toBeGreaterThanOrEqual(MAX_DELIVERIES);
    expect(attempts.get(orderId)!.length).toBeGreaterThanOrEqual(MAX_DELIVERIES);
  });
});
