import { JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { privateNatsServerForSuite } from '@orders/testing';
import { ensureStreams, NatsConnectionManager, platformStreamSettings, verifyStreams } from '../src';

const SECOND_IN_NANOS = 1_000_000_000;

describe('streams provisioned by an administrator (NATS_STREAM_PROVISIONING=external)', () => {
  const nats = privateNatsServerForSuite();
  let client: NatsConnection;
  let jsm: JetStreamManager;
  const expected = platformStreamSettings;

  beforeAll(async () => {
    client = await connect({ servers: nats.url });
    jsm = await jetstreamManager(client);
  });

  afterAll(() => client?.close());

  it('are accepted with the settings the services rely on', async () => {
    await ensureStreams(jsm, expected());
    await expect(verifyStreams(jsm, expected())).resolves.toBeUndefined();
  });

  it('fail the start-up when a stream keeps duplicates for a shorter window, naming the stream, the setting and both values', async () => {
    await ensureStreams(jsm, expected());
    await jsm.streams.update('PAYMENT', { duplicate_window: 30 * SECOND_IN_NANOS });
    const service = new NatsConnectionManager({ url: nats.url, serviceName: 'provisioning-test', streamProvisioning: 'external' });
    await service.connect();
    try {
      await expect(service.ensureStreams()).rejects.toThrow(/PAYMENT: duplicate_window is 30 s, expected at least 600 s/);
    } finally {
      await service.close();
    }
  });

  it('fail when a stream has fewer replicas than NATS_STREAM_REPLICAS asks for, or other subjects', async () => {
    await ensureStreams(jsm, expected());
    await jsm.streams.update('SHIPPING', { subjects: ['shipping.scheduled.>'] });
    const inACluster = expected().map((settings) => ({ ...settings, num_replicas: 3 }));
    const failure = verifyStreams(jsm, inACluster);
    await expect(failure).rejects.toThrow(/ORDER: num_replicas is 1, expected 3 \(NATS_STREAM_REPLICAS\)/);
    await expect(failure).rejects.toThrow(/SHIPPING: subjects are shipping\.scheduled\.>, expected shipping\.>/);
  });

  it('still name the streams that do not exist', async () => {
    await jsm.streams.delete('INVENTORY');
    await expect(verifyStreams(jsm, expected())).rejects.toThrow(/INVENTORY do not exist/);
  });
});
