import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { OnEvent } from '../src';
import { catalogOf, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Packed = orderTestEvent('order.packed-test');
const SERVICE = 'ack-test';
const CONSUMER = `${SERVICE}-order-packed-test`;
const EVENTS = 5;

/** Handlers wait here until the test lets them finish. */
const handlers = { running: 0, finished: 0, release: () => undefined as void, gate: Promise.resolve() };

@Controller()
class PackedHandler {
  @OnEvent(Packed)
  async onPacked(@Payload() _event: EnvelopeOf<typeof Packed>): Promise<void> {
    handlers.running++;
    await handlers.gate;
    handlers.finished++;
  }
}

describe('acks', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication | undefined;

  const consumerInfo = async () => {
    const client = await connect({ servers: nats.url });
    try {
      return await (await jetstreamManager(client)).consumers.info('ORDER', CONSUMER);
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
  });

  afterAll(async () => {
    handlers.release();
    await app?.close();
    await nats?.dispose();
  });

  it('are sent only after the handlers succeeded, and those that finish during shutdown go out before the connection closes', async () => {
    handlers.gate = new Promise((resolve) => (handlers.release = resolve));
    app = await startConsumerApp({ serviceName: SERVICE, natsUrl: nats.url, controllers: [PackedHandler], server: { catalog: catalogOf(Packed) } });
    for (let index = 0; index < EVENTS; index++) {
      await publishRaw(nats.url, Packed.subject, JSON.stringify(Packed.create({ orderId: crypto.randomUUID() }, { correlationId: 'ack-test' })));
    }
    await waitFor(async () => handlers.running === EVENTS, { timeoutMs: 10_000, description: 'every handler running' });
    expect((await consumerInfo()).num_ack_pending).toBe(EVENTS);

    const closed = app.close();
    handlers.release();
    await closed;
    app = undefined;

    expect(handlers.finished).toBe(EVENTS);
    const after = await consumerInfo();
    expect(after.num_ack_pending).toBe(0);
    expect(after.num_redelivered).toBe(0);
    expect(after.ack_floor.stream_seq).toBe(after.delivered.stream_seq);
  });
});
