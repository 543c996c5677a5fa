import { ProcessLogs, startNatsCluster } from '@orders/local-processes';
import { StackTopology, streamReplicasOf } from '@orders/local-stack';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JetStreamLimit, measureJetStreamLimit } from './raw-jetstream';

/**
 * What the platform runs on: on one server, a private nats-server the bench starts, on which the
 * JetStream limit is measured too; for a cluster, the stack starts one of its own in a throw-away
 * folder each time, and the limit is measured on another cluster of as many nodes, stopped before
 * the platform starts, as the single server's is measured on an idle machine.
 */
export interface PlatformNats {
  /** What the stack is told: the private server's URL, or where its cluster keeps its stores. */
  stackOptions(): { environment: NodeJS.ProcessEnv; natsClusterDir?: string };
  readonly privateServerPid: number | undefined;
  measureJetStreamLimit(options: { messages: number; window: number }): Promise<JetStreamLimit>;
  dispose(): Promise<void>;
}

export async function platformNats(topology: StackTopology): Promise<PlatformNats> {
  const environment = { ...process.env };
  // The stack refuses to start a cluster while NATS_URL names a server.
  delete environment.NATS_URL;
  const streamReplicas = streamReplicasOf(topology);
  if (streamReplicas === undefined) {
    const server: PrivateNatsServer = await startPrivateNatsServer();
    return {
      stackOptions: () => ({ environment: { ...environment, NATS_URL: server.url } }),
      get privateServerPid() {
        return server.pid;
      },
      measureJetStreamLimit: (options) => measureJetStreamLimit(server.url, { ...options, streamReplicas: 1 }),
      dispose: () => server.dispose(),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'bench-nats-cluster-'));
  let clusters = 0;
  return {
    stackOptions: () => ({ environment, natsClusterDir: join(dir, `platform-${(clusters += 1)}`) }),
    privateServerPid: undefined,
    measureJetStreamLimit: async (options) => {
      const cluster = await startNatsCluster({ size: topology.natsCluster, dir: join(dir, 'limit'), logs: new ProcessLogs('capture') });
      try {
        return await measureJetStreamLimit(cluster.url, { ...options, streamReplicas });
      } finally {
        await cluster.stop();
      }
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
