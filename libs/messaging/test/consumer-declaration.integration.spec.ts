import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Controller, INestApplication } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EnvelopeOf } from '@orders/contracts';
import { privateNatsServerForSuite } from '@orders/testing';
import { ConsumerOptions, durableConsumerName, OnEvent } from '../src';
import { catalogOf, orderTestEvent, startConsumerApp } from './support/test-app';

const Declared = orderTestEvent('order.declared');
const REPLICAS = 6;

@Controller()
class DeclaredHandler {
  @OnEvent(Declared)
  async onDeclared(@Payload() _event: EnvelopeOf<typeof Declared>): Promise<void> {
    // Only the consumer's declaration is under test.
  }
}

/** The settings each replica declares: all different, so the consumer's final ones tell whose declaration stands. */
function settingsOfReplica(replica: number): Pick<ConsumerOptions, 'maxAckPending' | 'ackWaitMs'> {
  return { maxAckPending: 100 + replica, ackWaitMs: (10 + replica) * 1_000 };
}

describe('replicas starting together declare their shared consumer', () => {
  const nats = privateNatsServerForSuite();
  const apps: INestApplication[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('all start, whatever order their declarations reach the server in, and the consumer has the settings of one of them', async () => {
    const serviceName = 'declaring';
    const started = await Promise.allSettled(
      Array.from({ length: REPLICAS }, (_, replica) =>
        startConsumerApp({
          serviceName,
          natsUrl: nats.url,
          controllers: [DeclaredHandler],
          server: { catalog: catalogOf(Declared), consumerDefaults: settingsOfReplica(replica) },
        }),
      ),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') apps.push(outcome.value);

    expect(started.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const client = await connect({ servers: nats.url });
    try {
      const { config } = await (await jetstreamManager(client)).consumers.info('ORDER', durableConsumerName(serviceName, Declared.type));
      const declared = Array.from({ length: REPLICAS }, (_, replica) => settingsOfReplica(replica));
      expect(declared).toContainEqual({ maxAckPending: config.max_ack_pending, ackWaitMs: (config.ack_wait ?? Number.NaN) / 1_000_000 });
      expect(config).toMatchObject({ filter_subject: Declared.allVersionsSubject, max_deliver: -1 });
    } finally {
      await client.close();
    }
  }, 60_000);
});
