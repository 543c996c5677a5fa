/** `single`: one process per app on one NATS server; `cluster`: two replicas of every app on a three-node JetStream cluster. */
export const CHAOS_TOPOLOGIES = ['single', 'cluster'] as const;
export type ChaosTopology = (typeof CHAOS_TOPOLOGIES)[number];

/** What the platform runs as, per topology (ADR 15). */
export const STACK_TOPOLOGIES: Readonly<Record<ChaosTopology, { replicas: number; natsCluster: number }>> = {
  single: { replicas: 1, natsCluster: 1 },
  cluster: { replicas: 2, natsCluster: 3 },
};

/** How long and how hard a chaos run pushes, and how often each fault strikes (0 turns a fault off). */
export interface ChaosConfig {
  topology: ChaosTopology;
  durationMs: number;
  /** Orders started per second, whether or not earlier ones were answered (an open loop, like real traffic). */
  ratePerSecond: number;
  customers: number;
  /** Orders in flight at most; past it the load waits rather than piling up requests without bound. */
  maxInFlight: number;
  killIntervalMs: number;
  natsIntervalMs: number;
  natsDowntimeMs: number;
  databaseIntervalMs: number;
  providerIntervalMs: number;
  providerBurstMs: number;
  /** Cluster only: how long two of the three NATS nodes stay down, once per run. */
  quorumLossMs: number;
  /** Cluster only: how long one service replica stays frozen (SIGSTOP) under load, once per run. */
  freezeMs: number;
  /** Cluster only: how many services (in order: order, inventory, payment, shipping) get a rolling restart under load, once per run. */
  rollingRestartServices: number;
  /** Cluster only: how long the Postgres of one service's database (the run's own; the seed chooses the service) stays down in its restart, once per run. */
  postgresDowntimeMs: number;
  /** How long a client keeps retrying a request whose outcome it did not learn before it counts it as unknown. */
  clientGiveUpMs: number;
  quiescenceTimeoutMs: number;
  /** Units on hand of the scarce SKU, so that some orders for it go out of stock. */
  scarceStock: number;
  seed: number;
  /** Where the JSON summary goes; none for the test suite's short run. */
  output?: string;
}

const SECOND = 1_000;

/** `npm run chaos`: ten minutes at ten orders a second, over 5,000 orders. */
export const FULL_RUN: ChaosConfig = {
  topology: 'single',
  durationMs: 600 * SECOND,
  ratePerSecond: 10,
  customers: 8,
  maxInFlight: 400,
  killIntervalMs: 10 * SECOND,
  natsIntervalMs: 60 * SECOND,
  natsDowntimeMs: 3 * SECOND,
  databaseIntervalMs: 15 * SECOND,
  providerIntervalMs: 20 * SECOND,
  providerBurstMs: 5 * SECOND,
  quorumLossMs: 0,
  freezeMs: 0,
  rollingRestartServices: 0,
  postgresDowntimeMs: 0,
  clientGiveUpMs: 90 * SECOND,
  quiescenceTimeoutMs: 600 * SECOND,
  scarceStock: 40,
  seed: 1,
  output: 'bench/results/chaos.json',
};

/**
 * `npm run chaos -- --topology cluster`: the same ten minutes and load on 14 app processes and 3 NATS
 * nodes, a NATS node fault every ~45 s, and once each: a quorum loss and a frozen replica longer than
 * two minutes, a rolling restart of every service and a 10 s restart of one service's Postgres.
 */
export const FULL_CLUSTER_RUN: ChaosConfig = {
  ...FULL_RUN,
  topology: 'cluster',
  natsIntervalMs: 45 * SECOND,
  quorumLossMs: 130 * SECOND,
  freezeMs: 130 * SECOND,
  rollingRestartServices: 4,
  postgresDowntimeMs: 10 * SECOND,
  output: 'bench/results/chaos-cluster.json',
};

export function fullRunOf(topology: ChaosTopology): ChaosConfig {
  return topology === 'cluster' ? FULL_CLUSTER_RUN : FULL_RUN;
}

type Unit = 'seconds' | 'number' | 'text' | 'topology';

interface OptionSpec {
  flag: string;
  env: string;
  key: keyof ChaosConfig;
  unit: Unit;
  help: string;
}

export const CHAOS_OPTIONS: readonly OptionSpec[] = [
  { flag: 'topology', env: 'CHAOS_TOPOLOGY', key: 'topology', unit: 'topology', help: 'single, or cluster (2 replicas of every app, 3 NATS nodes); sets the defaults' },
  { flag: 'duration', env: 'CHAOS_DURATION_S', key: 'durationMs', unit: 'seconds', help: 'seconds of load and faults' },
  { flag: 'rate', env: 'CHAOS_RATE', key: 'ratePerSecond', unit: 'number', help: 'orders started per second' },
  { flag: 'customers', env: 'CHAOS_CUSTOMERS', key: 'customers', unit: 'number', help: 'customers placing orders' },
  { flag: 'max-in-flight', env: 'CHAOS_MAX_IN_FLIGHT', key: 'maxInFlight', unit: 'number', help: 'orders in flight at most' },
  { flag: 'kill-interval', env: 'CHAOS_KILL_INTERVAL_S', key: 'killIntervalMs', unit: 'seconds', help: 'mean seconds between SIGKILLs of an app (0: none)' },
  { flag: 'nats-interval', env: 'CHAOS_NATS_INTERVAL_S', key: 'natsIntervalMs', unit: 'seconds', help: 'mean seconds between NATS restarts (0: none)' },
  { flag: 'nats-downtime', env: 'CHAOS_NATS_DOWNTIME_S', key: 'natsDowntimeMs', unit: 'seconds', help: 'seconds NATS stays down per restart' },
  { flag: 'db-interval', env: 'CHAOS_DB_INTERVAL_S', key: 'databaseIntervalMs', unit: 'seconds', help: "mean seconds between dropping a service's Postgres connections (0: none)" },
  { flag: 'provider-interval', env: 'CHAOS_PROVIDER_INTERVAL_S', key: 'providerIntervalMs', unit: 'seconds', help: 'mean seconds between provider fault bursts (0: none)' },
  { flag: 'provider-burst', env: 'CHAOS_PROVIDER_BURST_S', key: 'providerBurstMs', unit: 'seconds', help: 'seconds a provider fault burst lasts' },
  { flag: 'quorum-loss', env: 'CHAOS_QUORUM_LOSS_S', key: 'quorumLossMs', unit: 'seconds', help: 'cluster: seconds two of the three NATS nodes stay down, once' },
  { flag: 'freeze', env: 'CHAOS_FREEZE_S', key: 'freezeMs', unit: 'seconds', help: 'cluster: seconds one service replica stays frozen (SIGSTOP), once' },
  { flag: 'rolling-restarts', env: 'CHAOS_ROLLING_RESTARTS', key: 'rollingRestartServices', unit: 'number', help: 'cluster: services restarted one replica at a time, once' },
  {
    flag: 'postgres-downtime',
    env: 'CHAOS_POSTGRES_DOWNTIME_S',
    key: 'postgresDowntimeMs',
    unit: 'seconds',
    help: "cluster: seconds one service's Postgres (chosen by the seed) stays down in its restart, once",
  },
  { flag: 'give-up', env: 'CHAOS_GIVE_UP_S', key: 'clientGiveUpMs', unit: 'seconds', help: 'seconds a client retries an unanswered request' },
  { flag: 'quiescence-timeout', env: 'CHAOS_QUIESCENCE_TIMEOUT_S', key: 'quiescenceTimeoutMs', unit: 'seconds', help: 'seconds to wait for every saga to settle' },
  { flag: 'scarce-stock', env: 'CHAOS_SCARCE_STOCK', key: 'scarceStock', unit: 'number', help: 'units on hand of the scarce SKU' },
  { flag: 'seed', env: 'CHAOS_SEED', key: 'seed', unit: 'number', help: 'seed of the order mix and fault schedule' },
  { flag: 'output', env: 'CHAOS_OUTPUT', key: 'output', unit: 'text', help: 'file the JSON summary is written to' },
];

/**
 * Flags (`--rate 5` or `--rate=5`) override environment variables, which override the defaults: those of
 * `defaults(topology)`, the topology being the one the flags or the environment name (single if none).
 */
export function parseChaosConfig(argv: readonly string[], env: NodeJS.ProcessEnv, defaults: (topology: ChaosTopology) => ChaosConfig = fullRunOf): ChaosConfig {
  const { topology } = applyOptions({ ...FULL_RUN }, argv, env);
  return applyOptions({ ...defaults(topology) }, argv, env);
}

function applyOptions(config: ChaosConfig, argv: readonly string[], env: NodeJS.ProcessEnv): ChaosConfig {
  for (const option of CHAOS_OPTIONS) {
    const value = env[option.env];
    if (value !== undefined && value !== '') assign(config, option, value, option.env);
  }
  for (let index = 0; index < argv.length; index++) {
    const [name, inline] = argv[index].replace(/^--/, '').split(/=(.*)/s);
    const option = CHAOS_OPTIONS.find((candidate) => candidate.flag === name);
    if (!argv[index].startsWith('--') || !option) throw new Error(`Unknown argument "${argv[index]}"\n${chaosUsage()}`);
    const value = inline ?? argv[++index];
    if (value === undefined) throw new Error(`--${option.flag} needs a value`);
    assign(config, option, value, `--${option.flag}`);
  }
  return config;
}

function assign(config: ChaosConfig, option: OptionSpec, raw: string, source: string): void {
  if (option.unit === 'topology' && !(CHAOS_TOPOLOGIES as readonly string[]).includes(raw)) throw new Error(`${source} must be ${CHAOS_TOPOLOGIES.join(' or ')}, got "${raw}"`);
  if (option.unit === 'text' || option.unit === 'topology') {
    (config as unknown as Record<string, unknown>)[option.key] = raw;
    return;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${source} must be a non-negative number, got "${raw}"`);
  (config as unknown as Record<string, unknown>)[option.key] = option.unit === 'seconds' ? Math.round(value * SECOND) : value;
}

export function chaosUsage(): string {
  const lines = CHAOS_OPTIONS.map((option) => `  --${option.flag.padEnd(19)} ${option.env.padEnd(27)} ${option.help}`);
  return ['Options (flag, or environment variable):', ...lines].join('\n');
}
