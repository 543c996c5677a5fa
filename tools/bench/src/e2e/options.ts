import { parseTopology, SINGLE_TOPOLOGY, StackTopology, TOPOLOGY_VARIABLES } from '@orders/local-stack';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** A short smoke run: shorter phases, numbers not comparable with a full run. */
  quick: boolean;
  /** V8 CPU profiles of the services and the gateway during the saturation run. */
  profile: boolean;
  /** How many replicas of every app, on how many NATS servers. */
  topology: StackTopology;
  /** Where to write the JSON result, relative to the repository root. */
  out: string;
}

export const BENCH_USAGE = `Usage: npm run bench -- [--quick] [--profile] [--replicas <n>] [--nats-cluster <n>] [--out <file>]
  --quick             a short smoke run (numbers not comparable with a full run)
  --profile           also record V8 CPU profiles of the services and the gateway during saturation
  --replicas <n>      run every app n times (1-9), each behind a proxy on the app's address (${TOPOLOGY_VARIABLES.replicas})
  --nats-cluster <n>  1: one NATS server; 3-5: a JetStream cluster of n nodes, streams of 3 replicas (${TOPOLOGY_VARIABLES.natsCluster})
  --out <file>        where to write the JSON result (bench/results/e2e.json, or on another topology a file named after it)`;

/** The bench's command line; the topology's flags win over STACK_REPLICAS and STACK_NATS_CLUSTER. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: { quick: { type: 'boolean' }, profile: { type: 'boolean' }, replicas: { type: 'string' }, 'nats-cluster': { type: 'string' }, out: { type: 'string' } },
  });
  const topology = parseTopology({ replicas: values.replicas, natsCluster: values['nats-cluster'] }, env);
  return { quick: values.quick ?? false, profile: values.profile ?? false, topology, out: values.out ?? `bench/results/${resultsFileName(topology)}` };
}

export function isSingleTopology(topology: StackTopology): boolean {
  return topology.replicas === SINGLE_TOPOLOGY.replicas && topology.natsCluster === SINGLE_TOPOLOGY.natsCluster;
}

/** The command that repeats a run, with its topology as flags even when the environment set it; where its result went does not matter. */
export function benchCommand({ quick, profile, topology }: BenchOptions): string {
  const flags = [
    ...(quick ? ['--quick'] : []),
    ...(profile ? ['--profile'] : []),
    ...(isSingleTopology(topology) ? [] : ['--replicas', String(topology.replicas), '--nats-cluster', String(topology.natsCluster)]),
  ];
  return ['npm run bench', ...(flags.length > 0 ? ['--', ...flags] : [])].join(' ');
}

/** e2e.json for the single topology; another topology's runs are named after it, so they never replace it. */
export function resultsFileName(topology: StackTopology): string {
  return isSingleTopology(topology) ? 'e2e.json' : `e2e-replicas${topology.replicas}-nats${topology.natsCluster}.json`;
}
