import { ServiceName, SERVICES } from './service-databases';

/** Stand-ins for the external payment provider and carrier; started before the apps. */
export const SIMULATORS = ['payment-provider-sim', 'carrier-sim'] as const;
export const APPS = ['order-service', 'inventory-service', 'payment-service', 'shipping-service', 'web-bff', 'mobile-bff', 'gateway'] as const;

export type SimulatorName = (typeof SIMULATORS)[number];
export type AppName = (typeof APPS)[number];
export type ProcessName = SimulatorName | AppName;

export const PROCESS_NAMES: readonly ProcessName[] = [...SIMULATORS, ...APPS];

export function mapProcesses<T>(value: (name: ProcessName) => T): Record<ProcessName, T> {
  return Object.fromEntries(PROCESS_NAMES.map((name) => [name, value(name)])) as Record<ProcessName, T>;
}

export const DEFAULT_PORTS: Readonly<Record<ProcessName, number>> = {
  gateway: 3000,
  'web-bff': 3001,
  'mobile-bff': 3002,
  'order-service': 3010,
  'inventory-service': 3011,
  'payment-service': 3012,
  'shipping-service': 3013,
  'payment-provider-sim': 4010,
  'carrier-sim': 4011,
};

const SIMULATOR_ENTRIES: Readonly<Record<SimulatorName, string>> = {
  'payment-provider-sim': 'libs/provider-simulators/src/payment-provider.main.ts',
  'carrier-sim': 'libs/provider-simulators/src/carrier.main.ts',
};

export function isSimulator(name: ProcessName): name is SimulatorName {
  return (SIMULATORS as readonly ProcessName[]).includes(name);
}

/** Entry point relative to the repository root. */
export function entryPointOf(name: ProcessName): string {
  return isSimulator(name) ? SIMULATOR_ENTRIES[name] : `apps/${name}/src/main.ts`;
}

const SIMULATOR_BUNDLES: Readonly<Record<SimulatorName, string>> = {
  'payment-provider-sim': 'dist/libs/provider-simulators/main.js',
  'carrier-sim': 'dist/libs/provider-simulators/carrier.js',
};

/** The file of the production bundle (`nx build`) its image runs, relative to the repository root. */
export function bundleOf(name: ProcessName): string {
  return isSimulator(name) ? SIMULATOR_BUNDLES[name] : `dist/apps/${name}/main.js`;
}

/** Every process, app or simulator, reports readiness on the path its Kubernetes probe uses. */
export const READINESS_PATH = '/health/ready';

/** The database a process owns: "payment-service" → "payment"; none for the edge apps and simulators. */
export function serviceOf(name: ProcessName): ServiceName | undefined {
  return SERVICES.find((service) => name === `${service}-service`);
}

/** Runs the service's TypeORM migrations against DATABASE_URL and exits. */
export function migrationEntryPointOf(service: ServiceName): string {
  return `apps/${service}-service/src/migrate.ts`;
}

/** How many copies of each app run, and on how many NATS servers. */
export interface StackTopology {
  /** Copies of every app, each on a port of its own; several are reached through a proxy on the app's address. The simulators run once. */
  replicas: number;
  /** NATS servers: 1 uses (or starts) one server; 3 to 5 start a JetStream cluster on loopback, with streams of 3 replicas. */
  natsCluster: number;
}

/** One process per app on one NATS server. */
export const SINGLE_TOPOLOGY: StackTopology = { replicas: 1, natsCluster: 1 };

const MAX_REPLICAS = 9;
const MAX_NATS_CLUSTER = 5;
/** What k8s/base runs: every stream on three of the cluster's servers. */
const CLUSTER_STREAM_REPLICAS = 3;

/** Where each count of a topology was set, to name it when it is refused: a flag, a variable or a field. */
export type TopologySources = Record<keyof StackTopology, string>;

const FIELDS: TopologySources = { replicas: 'replicas', natsCluster: 'natsCluster' };

/**
 * A topology from counts given as numbers, or as text from a command line or the environment;
 * unset counts are those of SINGLE_TOPOLOGY. Refuses a count it cannot run, naming its source.
 */
export function stackTopology(counts: Partial<Record<keyof StackTopology, number | string>> = {}, sources: TopologySources = FIELDS): StackTopology {
  const replicas = countOf(counts.replicas ?? SINGLE_TOPOLOGY.replicas, MAX_REPLICAS, sources.replicas);
  const natsCluster = countOf(counts.natsCluster ?? SINGLE_TOPOLOGY.natsCluster, MAX_NATS_CLUSTER, sources.natsCluster);
  if (natsCluster === 2) {
    throw new Error(`${sources.natsCluster}: a cluster of two nodes stops JetStream when either node stops, so it survives less than one server; use 3`);
  }
  return { replicas, natsCluster };
}

function countOf(given: number | string, max: number, source: string): number {
  const count = typeof given === 'number' ? given : /^\d+$/.test(given.trim()) ? Number(given) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > max) throw new Error(`${source} must be a whole number from 1 to ${max}, got "${given}"`);
  return count;
}

/** Copies of each stream JetStream keeps in the topology's cluster; undefined on one server. */
export function streamReplicasOf(topology: StackTopology): number | undefined {
  return topology.natsCluster > 1 ? Math.min(CLUSTER_STREAM_REPLICAS, topology.natsCluster) : undefined;
}

/** A process of a replicated app, e.g. "order-service-2". */
export type ReplicaName = `${AppName}-${number}`;
/** What the stack can start, stop and signal: a whole app or simulator (every replica of it), or one replica. */
export type StackProcessName = ProcessName | ReplicaName;

/** The processes that run `name`: one named like it, or `<app>-1`, `<app>-2`, ... for several replicas of an app. */
export function replicaNamesOf(name: ProcessName, topology: StackTopology): StackProcessName[] {
  if (isSimulator(name) || topology.replicas === 1) return [name];
  return Array.from({ length: topology.replicas }, (_, index): ReplicaName => `${name}-${index + 1}`);
}
