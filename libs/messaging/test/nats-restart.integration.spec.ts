import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OnEvent } from '../src';
import { catalogOf, orderTestEvent, publishRaw, startConsumerApp } from './support/test-app';

const Restocked = orderTestEvent('order.restart-test');
const handled = new Set<string>();

@Controller()
class RestockedHandler {
  @OnEvent(Restocked)
  async onRestocked(@Payload() event: EnvelopeOf<typeof Restocked>): Promise<void> {
    handled.add(event.data.orderId);
  }
}

describe('a service starting while NATS restarts', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('waits for NATS to come back, then sets up its streams and consumers and consumes, instead of failing its start-up', async () => {
    app = await startConsumerApp({ serviceName: 'restart-test', natsUrl: nats.url, controllers: [RestockedHandler], server: { catalog: catalogOf(Restocked) }, listen: false });
    // Connected, and the server goes away just before the streams and consumers are set up.
    await nats.stop();
    const listening = app.startAllMicroservices();
    await sleep(2_000);
    await nats.start();
    await listening;

    const event = Restocked.create({ orderId: randomUUID() }, { correlationId: 'restart-test' });
    await publishRaw(nats.url, Restocked.subject, JSON.stringify(event));
    await waitFor(() => handled.has(event.data.orderId), { timeoutMs: 15_000, description: 'the event to be handled' });
  }, 120_000);
});
