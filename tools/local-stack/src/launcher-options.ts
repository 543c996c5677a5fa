import { parseArgs } from 'node:util';
import { PROCESS_NAMES, ProcessName, StackTopology, stackTopology } from './stack-topology';

export interface LauncherOptions {
  /** The processes that restart when their sources (or the libs they use) change. */
  watch: ProcessName[];
  topology: StackTopology;
}

/** The environment variables that set the topology when no flag does, e.g. in `.env`. */
export const TOPOLOGY_VARIABLES = { replicas: 'STACK_REPLICAS', natsCluster: 'STACK_NATS_CLUSTER' } as const;

export const LAUNCHER_USAGE = `Usage: npm start [-- --watch <process>]... [--replicas <n>] [--nats-cluster <n>]
  --watch <process>     restart that process when its sources or the libs it uses change (repeatable)
                        processes: ${PROCESS_NAMES.join(', ')}
  --replicas <n>        run every app n times (1-9), each behind a proxy on the app's address (${TOPOLOGY_VARIABLES.replicas})
  --nats-cluster <n>    1: one NATS server; 3-5: a JetStream cluster of n nodes on loopback, streams of 3 replicas (${TOPOLOGY_VARIABLES.natsCluster})`;

/** The launcher's command line, e.g. `npm start -- --watch order-service --replicas 2 --nats-cluster 3`; flags win over the environment. */
export function parseLauncherOptions(args: readonly string[], env: NodeJS.ProcessEnv = {}): LauncherOptions {
  const { values } = parseArgs({
    args: [...args],
    options: { watch: { type: 'string', multiple: true }, replicas: { type: 'string' }, 'nats-cluster': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const watch = values.watch ?? [];
  const unknown = watch.filter((name) => !isProcessName(name));
  if (unknown.length > 0) throw new Error(`--watch ${unknown.join(', ')}: not a process of the stack`);
  // An empty variable, as `.env` may leave one, counts as unset.
  const fromEnvironment = (variable: string) => env[variable] || undefined;
  const topology = stackTopology(
    { replicas: values.replicas ?? fromEnvironment(TOPOLOGY_VARIABLES.replicas), natsCluster: values['nats-cluster'] ?? fromEnvironment(TOPOLOGY_VARIABLES.natsCluster) },
    {
      replicas: values.replicas === undefined ? TOPOLOGY_VARIABLES.replicas : '--replicas',
      natsCluster: values['nats-cluster'] === undefined ? TOPOLOGY_VARIABLES.natsCluster : '--nats-cluster',
    },
  );
  return { watch: [...new Set(watch as ProcessName[])], topology };
}

function isProcessName(name: string): name is ProcessName {
  return (PROCESS_NAMES as readonly string[]).includes(name);
}
