import { parseArgs } from 'node:util';

export const TRANSPORT_KEYS = ['ours', 'plugin', 'nest-nats'] as const;
export type TransportKey = (typeof TRANSPORT_KEYS)[number];

/**
 * drain: the events wait in the stream before the consumer starts, so only the consumer
 * bounds the rate; concurrent: published while the consumer runs, as in production.
 */
export const MODES = ['drain', 'concurrent'] as const;
export type Mode = (typeof MODES)[number];

export interface BusOptions {
  /** Events of the throughput phase, in either mode. */
  events: number;
  /** Events handled before measuring, so code paths and connections are warm (in a drain, the first of the backlog). */
  warmup: number;
  /** Events per second of the latency phase, the same for every transport. */
  rate: number;
  /** Length of the latency phase. */
  seconds: number;
  /** Publishes awaiting their confirmation at most (JetStream acks, core flushes). */
  window: number;
  /** How long the bench waits for a child to start, or to handle what was published. */
  timeoutSeconds: number;
  transports: TransportKey[];
  modes: Mode[];
  /** Writes a V8 CPU profile of each JetStream transport's drain to bench/results/profiles (slows it: not a run to quote). */
  profile: boolean;
  /** The JSON result, relative to the repository root. */
  out: string;
}

const NUMBERS = {
  events: { env: 'BENCH_BUS_EVENTS', fallback: 20_000 },
  warmup: { env: 'BENCH_BUS_WARMUP', fallback: 2_000 },
  rate: { env: 'BENCH_BUS_RATE', fallback: 1_000 },
  seconds: { env: 'BENCH_BUS_SECONDS', fallback: 10 },
  window: { env: 'BENCH_BUS_WINDOW', fallback: 256 },
  timeoutSeconds: { env: 'BENCH_BUS_TIMEOUT_SECONDS', fallback: 90 },
} as const satisfies Record<string, { env: string; fallback: number }>;

const TEXTS = {
  transports: { env: 'BENCH_BUS_TRANSPORTS', fallback: TRANSPORT_KEYS.join(',') },
  modes: { env: 'BENCH_BUS_MODES', fallback: MODES.join(',') },
  out: { env: 'BENCH_BUS_OUT', fallback: 'bench/results/bus.json' },
} as const;

type NumberOption = keyof typeof NUMBERS;

/** Each option from its command-line flag, else its environment variable, else its default. */
export function parseBusOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BusOptions {
  const flagNames = [...Object.keys(NUMBERS), ...Object.keys(TEXTS)].map(toFlag);
  const flags: Record<string, { type: 'string' | 'boolean' }> = {
    ...Object.fromEntries(flagNames.map((flag) => [flag, { type: 'string' as const }])),
    profile: { type: 'boolean' },
  };
  const { values } = parseArgs({ args: argv, strict: true, options: flags });
  const raw = (name: string, setting: { env: string; fallback: number | string }): string =>
    (values[toFlag(name)] as string | undefined) ?? env[setting.env] ?? String(setting.fallback);

  const numbers = Object.fromEntries(Object.entries(NUMBERS).map(([name, setting]) => [name, positiveInteger(`--${toFlag(name)} (${setting.env})`, raw(name, setting))])) as Record<
    NumberOption,
    number
  >;
  return {
    ...numbers,
    transports: listOf('--transports (BENCH_BUS_TRANSPORTS)', TRANSPORT_KEYS, raw('transports', TEXTS.transports)),
    modes: listOf('--modes (BENCH_BUS_MODES)', MODES, raw('modes', TEXTS.modes)),
    profile: values.profile === true || env.BENCH_BUS_PROFILE === '1',
    out: raw('out', TEXTS.out),
  };
}

/** `timeoutSeconds` is `--timeout-seconds` on the command line. */
function toFlag(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

export function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`${name} must be a positive integer, not "${value}"`);
  return number;
}

/** A comma-separated subset of `known`, always in `known`'s order, so reports read the same whatever order it was named in. */
function listOf<T extends string>(name: string, known: readonly T[], value: string): T[] {
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const unknown = keys.filter((key) => !(known as readonly string[]).includes(key));
  if (keys.length === 0 || unknown.length > 0) throw new Error(`${name} takes a comma-separated list of ${known.join(', ')}; got "${value}"`);
  return known.filter((key) => keys.includes(key));
}
