import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { OnEvent } from '../src';
import { catalogOf, migratedDatabase, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

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

describe('the compensation lane of a service with several replicas', () => {
  const SHARED_LANE = { concurrency: 3, ratePerSecond: 5 };
  let nats: PrivateNatsServer;
  let database: TestDatabase;
  let replicas: INestApplication[] = [];

  beforeAll(async () => {
    [nats, database] = await Promise.all([startPrivateNatsServer(), createTestDatabase('compensation_lane')]);
    const options = await migratedDatabase(database.url, 'compensation-lane-test');
    replicas = await Promise.all(
      [1, 2].map(() =>
        startConsumerApp({
          serviceName: 'lane-replicas',
          natsUrl: nats.url,
          controllers: [ParticipantHandlers],
          database: options,
          server: { catalog: catalogOf(...COMPENSATIONS, Routine), compensationLane: SHARED_LANE },
        }),
      ),
    );
  }, 60_000);

  beforeEach(() => lane.reset());

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await Promise.all([nats?.dispose(), database?.drop()]);
  });

  it('starts no more compensations per second across all replicas than the rate one process is given', async () => {
    const total = 30;
    for (let index = 0; index < total; index++) {
      const definition = COMPENSATIONS[index % COMPENSATIONS.length];
      await publishRaw(nats.url, definition.subject, JSON.stringify(definition.create({ orderId: crypto.randomUUID() }, { correlationId: 'storm' })));
    }

    await waitFor(() => lane.finished === total, { timeoutMs: 30_000, description: 'the storm to be worked off' });

    // Counted once for both replicas, 30 starts need six one-second windows, so the last begins at
    // least 5 s after the first. Counted per process, each replica (pulling only what its three slots
    // can take, so both get a share) would start 5 a second, and the storm would be over in about 3 s.
    const starts = [...lane.starts].sort((a, b) => a - b);
    expect(starts[starts.length - 1] - starts[0]).toBeGreaterThanOrEqual(4_000);
  }, 60_000);
});
