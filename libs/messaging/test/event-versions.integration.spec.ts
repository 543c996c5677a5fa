import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { defineEvent, EnvelopeOf } from '@orders/contracts';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { z } from 'zod';
import { DeadLetters, NatsConnectionManager, OnEvent } from '../src';
import { catalogOf, publishRaw, startConsumerApp } from './support/test-app';

/** What the publisher of `order.noted` shipped before the upgrade. */
const notedV1Schema = z.object({ orderId: z.uuid(), note: z.string() });
const NotedBeforeUpgrade = defineEvent('order.noted', { schema: notedV1Schema });

/** The upgraded contract: v2 renamed `note` and added `author`; v1 messages are upcast. */
const Noted = defineEvent(
  'order.noted',
  {
    schema: z.object({ orderId: z.uuid(), text: z.string(), author: z.string() }),
    upcastFromPrevious: (previous) => {
      const v1 = notedV1Schema.parse(previous);
      return { orderId: v1.orderId, text: v1.note, author: 'unknown' };
    },
  },
  [{ schema: notedV1Schema }],
);

const received: Array<EnvelopeOf<typeof Noted>> = [];

@Controller()
class NotesHandler {
  @OnEvent(Noted)
  async onNoted(@Payload() event: EnvelopeOf<typeof Noted>): Promise<void> {
    received.push(event);
  }
}

describe('events published before an upgrade', () => {
  let nats: PrivateNatsServer;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
  });

  afterAll(async () => {
    await app?.close();
    await nats?.dispose();
  });

  it('are consumed by the upgraded consumer as the latest version, while unknown versions are dead-lettered', async () => {
    const publisher = new NatsConnectionManager({ url: nats.url, serviceName: 'notes-publisher' });
    await publisher.connect();
    await publisher.ensureStreams();
    await publisher.close();
    const old = NotedBeforeUpgrade.create({ orderId: crypto.randomUUID(), note: 'leave at the door' }, { correlationId: 'before-upgrade' });
    await publishRaw(nats.url, NotedBeforeUpgrade.subject, JSON.stringify(old));

    app = await startConsumerApp({ serviceName: 'notes', natsUrl: nats.url, controllers: [NotesHandler], server: { catalog: catalogOf(Noted) } });
    const current = Noted.create({ orderId: crypto.randomUUID(), text: 'ring twice', author: 'ada' }, { correlationId: 'after-upgrade' });
    await publishRaw(nats.url, Noted.subject, JSON.stringify(current));
    const fromTheFuture = await publishRaw(nats.url, 'order.noted.v3', JSON.stringify({ ...current, id: crypto.randomUUID(), version: 3 }));

    await waitFor(() => received.length === 2, { description: 'both versions to be handled' });
    expect(NotedBeforeUpgrade.subject).toBe('order.noted.v1');
    expect(received).toEqual(expect.arrayContaining([{ ...old, version: 2, data: { orderId: old.data.orderId, text: 'leave at the door', author: 'unknown' } }, current]));
    const deadLetters = app.get(DeadLetters);
    const letter = await waitFor(async () => (await deadLetters.list({ service: 'notes' })).deadLetters[0], { description: 'the unknown version to be dead-lettered' });
    expect(letter).toMatchObject({ streamSequence: fromTheFuture, kind: 'permanent', attempts: 1 });
    expect(letter.error).toMatch(/Unknown version 3 of order\.noted/);
  });
});
