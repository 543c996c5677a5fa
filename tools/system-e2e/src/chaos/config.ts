/** How long and how hard a chaos run pushes, and how often each fault strikes (0 turns a fault off). */
export interface ChaosConfig {
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
  clientGiveUpMs: 90 * SECOND,
  quiescenceTimeoutMs: 600 * SECOND,
  scarceStock: 40,
  seed: 1,
  output: 'bench/results/chaos.json',
};

type Unit = 'seconds' | 'number' | 'text';

interface OptionSpec {
  flag: string;
  env: string;
  key: keyof ChaosConfig;
  unit: Unit;
  help: string;
}

export const CHAOS_OPTIONS: readonly OptionSpec[] = [
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
  { flag: 'give-up', env: 'CHAOS_GIVE_UP_S', key: 'clientGiveUpMs', unit: 'seconds', help: 'seconds a client retries an unanswered request' },
  { flag: 'quiescence-timeout', env: 'CHAOS_QUIESCENCE_TIMEOUT_S', key: 'quiescenceTimeoutMs', unit: 'seconds', help: 'seconds to wait for every saga to settle' },
  { flag: 'scarce-stock', env: 'CHAOS_SCARCE_STOCK', key: 'scarceStock', unit: 'number', help: 'units on hand of the scarce SKU' },
  { flag: 'seed', env: 'CHAOS_SEED', key: 'seed', unit: 'number', help: 'seed of the order mix and fault schedule' },
  { flag: 'output', env: 'CHAOS_OUTPUT', key: 'output', unit: 'text', help: 'file the JSON summary is written to' },
];

/** Flags (`--rate 5` or `--rate=5`) override environment variables, which override `defaults`. */
export function parseChaosConfig(argv: readonly string[], env: NodeJS.ProcessEnv, defaults: ChaosConfig = FULL_RUN): ChaosConfig {
  const config: ChaosConfig = { ...defaults };
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
  if (option.unit === 'text') {
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
