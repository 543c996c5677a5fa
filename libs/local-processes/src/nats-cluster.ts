import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NatsServer } from './nats';
import { freePorts } from './ports';
import { ProcessLogs } from './process-logs';

export interface NatsClusterOptions {
  /** How many servers; JetStream keeps working while a majority of them runs. */
  size: number;
  /** Each node keeps its configuration file and JetStream store here, in a folder named after it. */
  dir: string;
  logs: ProcessLogs;
  /** The nodes are `<namePrefix>-1`, `<namePrefix>-2`, ...: their `server_name` and log labels. Defaults to "nats". */
  namePrefix?: string;
  /** How long the nodes may take to elect a JetStream leader and answer; defaults to 60 s. */
  readyTimeoutMs?: number;
  stopGraceMs?: number;
}

/** A JetStream cluster on loopback: one nats-server per node, each with its own client and route ports and store. */
export interface NatsCluster {
  readonly nodes: readonly NatsServer[];
  /** Every node's URL, comma-separated, as NATS_URL takes a cluster. */
  readonly url: string;
  /** Stops every node gracefully; their stores are kept. */
  stop(): Promise<void>;
}

const CLUSTER_NAME = 'local';
const DEFAULT_READY_TIMEOUT_MS = 60_000;

/**
 * Starts every node at once and resolves when each serves JetStream requests: a node alone
 * elects no JetStream leader, so none would be ready if they started one after another.
 */
export async function startNatsCluster(options: NatsClusterOptions): Promise<NatsCluster> {
  const { size, dir, logs, namePrefix = 'nats', readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS, stopGraceMs } = options;
  const ports = await freePorts(2 * size);
  const members = Array.from({ length: size }, (_, index) => ({ name: `${namePrefix}-${index + 1}`, port: ports[index], routePort: ports[size + index] }));
  const nodes: NatsServer[] = [];
  for (const member of members) {
    const nodeDir = join(dir, member.name);
    await mkdir(nodeDir, { recursive: true });
    const routes = members.filter((other) => other !== member).map((other) => `nats://127.0.0.1:${other.routePort}`);
    const configFile = join(nodeDir, 'nats.conf');
    await writeFile(configFile, `server_name: ${member.name}\ncluster {\n  name: ${CLUSTER_NAME}\n  listen: 127.0.0.1:${member.routePort}\n  routes: [${routes.join(', ')}]\n}\n`);
    nodes.push(new NatsServer({ port: member.port, storeDir: join(nodeDir, 'jetstream'), configFile, logs, name: member.name, readyTimeoutMs, stopGraceMs }));
  }
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  const started = await Promise.allSettled(nodes.map((node) => node.start()));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  return { nodes, url: nodes.map((node) => node.url).join(','), stop };
}
