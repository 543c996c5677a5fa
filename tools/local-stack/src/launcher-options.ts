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
  const topology = parseTopology({ replicas: values.replicas, natsCluster: values['nats-cluster'] }, env);
  return { watch: [...new Set(watch as ProcessName[])], topology };
}

/**
 * The topology from `--replicas` and `--nats-cluster` as a command line gave them, else from
 * STACK_REPLICAS and STACK_NATS_CLUSTER, else one of each; a refused count names its flag or variable.
 */
export function parseTopology(flags: Partial<Record<keyof StackTopology, string>>, env: NodeJS.ProcessEnv): StackTopology {
  // An empty variable, as `.env` may leave one, counts as unset.
  const fromEnvironment = (variable: string) => env[variable] || undefined;
  return stackTopology(
    { replicas: flags.replicas ?? fromEnvironment(TOPOLOGY_VARIABLES.replicas), natsCluster: flags.natsCluster ?? fromEnvironment(TOPOLOGY_VARIABLES.natsCluster) },
    {
      replicas: flags.replicas === undefined ? TOPOLOGY_VARIABLES.replicas : '--replicas',
      natsCluster: flags.natsCluster === undefined ? TOPOLOGY_VARIABLES.natsCluster : '--nats-cluster',
    },
  );
}

function isProcessName(name: string): name is ProcessName {
  return (PROCESS_NAMES as readonly string[]).includes(name);
}
