import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { OnEvent } from '../src';
import { catalogOf, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const UndoAlpha = orderTestEvent('order.undo-alpha');
const UndoBeta = orderTestEvent('order.undo-beta');
const UndoGamma = orderTestEvent('order.undo-gamma');
const Routine = orderTestEvent('order.routine');
const COMPENSATIONS = [UndoAlpha, UndoBeta, UndoGamma];
const LANE = { concurrency: 3, ratePerSecond: 20 };

/** What the compensation handlers do, observed from inside them. */
const lane = {
  running: 0,
  peak: 0,
  finished: 0,
  starts: [] as number[],
  /** While set, compensation handlers wait for it; otherwise they take `workMs`. */
  gate: undefined as Promise<void> | undefined,
  workMs: 30,
  reset() {
    Object.assign(this, { running: 0, peak: 0, finished: 0, starts: [], gate: undefined });
  },
};
const routineHandled: string[] = [];

async function compensate(): Promise<void> {
  lane.running++;
  lane.peak = Math.max(lane.peak, lane.running);
  lane.starts.push(Date.now());
  try {
    await (lane.gate ?? sleep(lane.workMs));
  } finally {
    lane.running--;
    lane.finished++;
  }
}

@Controller()
class ParticipantHandlers {
  @OnEvent(UndoAlpha, { lane: 'compensation' })
  async undoAlpha(@Payload() _event: EnvelopeOf<typeof UndoAlpha>): Promise<void> {
    await compensate();
  }

  @OnEvent(UndoBeta, { lane: 'compensation' })
  async undoBeta(@Payload() _event: EnvelopeOf<typeof UndoBeta>): Promise<void> {
    await compensate();
  }

  @OnEvent(UndoGamma, { lane: 'compensation' })
  async undoGamma(@Payload() _event: EnvelopeOf<typeof UndoGamma>): Promise<void> {
    await compensate();
  }

  @OnEvent(Routine)
  async routine(@Payload() event: EnvelopeOf<typeof Routine>): Promise<void> {
    routineHandled.push(event.data.orderId);
  }
}

describe('the compensation lane', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication;

  const publishCompensations = async (count: number) => {
    for (let index = 0; index < count; index++) {
      const definition = COMPENSATIONS[index % COMPENSATIONS.length];
      await publishRaw(nats.url, definition.subject, JSON.stringify(definition.create({ orderId: crypto.randomUUID() }, { correlationId: 'storm' })));
    }
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    app = await startConsumerApp({
      serviceName: 'lane-test',
      natsUrl: nats.url,
      controllers: [ParticipantHandlers],
      server: { catalog: catalogOf(...COMPENSATIONS, Routine), compensationLane: LANE },
    });
  }, 60_000);

  let openGate = () => undefined as void;

  beforeEach(() => lane.reset());
  afterEach(() => openGate());

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('keeps normal handlers running while the lane is saturated', async () => {
    lane.gate = new Promise<void>((resolve) => (openGate = resolve));
    await publishCompensations(12);
    await waitFor(() => lane.running === LANE.concurrency, { description: 'the lane to fill up' });

    const routine = Routine.create({ orderId: crypto.randomUUID() }, { correlationId: 'routine' });
    await publishRaw(nats.url, Routine.subject, JSON.stringify(routine));
    await waitFor(() => routineHandled.includes(routine.data.orderId), { description: 'the normal handler to run' });

    expect(lane.running).toBe(LANE.concurrency);
    expect(lane.finished).toBe(0);
    openGate();
    await waitFor(() => lane.finished === 12, { description: 'the compensations to finish' });
    expect(lane.peak).toBe(LANE.concurrency);
  });

  it('never runs more compensations at once, or starts more per second, than the lane allows, across all its consumers', async () => {
    const total = 50;
    await publishCompensations(total);

    await waitFor(() => lane.finished === total, { timeoutMs: 20_000, description: 'the storm to be worked off' });

    expect(lane.peak).toBe(LANE.concurrency);
    // Unthrottled, three slots of 30 ms handlers would start about 100 per second.
    const starts = [...lane.starts].sort((a, b) => a - b);
    const busiestSecond = Math.max(...starts.map((start) => starts.filter((other) => other >= start && other < start + 1_000).length));
    // The limiter counts in fixed one-second windows, so a second straddling two windows may see both windows' share.
    expect(busiestSecond).toBeLessThanOrEqual(2 * LANE.ratePerSecond);
    expect(starts[starts.length - 1] - starts[0]).toBeGreaterThanOrEqual(1_000);
  }, 30_000);
});
