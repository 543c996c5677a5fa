import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsCluster, startNatsCluster } from './nats-cluster';
import { ProcessLogs } from './process-logs';
import { waitFor } from './wait-for';

describe('startNatsCluster', () => {
  const logs = new ProcessLogs('capture');
  let dir: string;
  let cluster: NatsCluster;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nats-cluster-spec-'));
    cluster = await startNatsCluster({ size: 3, dir, logs });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('names each node and lists them all in its URL', () => {
    expect(cluster.nodes.map((node) => node.name)).toEqual(['nats-1', 'nats-2', 'nats-3']);
    expect(cluster.url).toBe(cluster.nodes.map((node) => node.url).join(','));
  });

  it('keeps a stream of three replicas writable and readable when one node is killed, and takes the node back', async () => {
    const client = await connect({ servers: cluster.url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    try {
      const jsm = await jetstreamManager(client);
      await jsm.streams.add({ name: 'CLUSTER_SPEC', subjects: ['cluster-spec.>'], num_replicas: 3 });
      const js = jetstream(client);
      await js.publish('cluster-spec.before', 'before');

      const leader = (await jsm.streams.info('CLUSTER_SPEC')).cluster?.leader;
      const victim = cluster.nodes.find((node) => node.name === leader)!;
      await victim.kill();
      expect(victim.pid).toBeUndefined();

      // While the stream elects a new leader, publishes fail for a moment; the message id makes a retry harmless.
      await waitFor(() => js.publish('cluster-spec.after', 'after', { msgID: 'after' }), { timeoutMs: 30_000, description: 'a publish after the kill to be accepted' });
      expect((await jsm.streams.info('CLUSTER_SPEC')).state.messages).toBe(2);

      await victim.start();
      expect(victim.pid).toBeDefined();
    } finally {
      await client.close();
    }
  }, 90_000);
});
