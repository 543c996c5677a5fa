import { parseArgs } from 'node:util';

export const TRANSPORT_KEYS = ['ours', 'plugin', 'nest-nats'] as const;
export type TransportKey = (typeof TRANSPORT_KEYS)[number];

export interface BusOptions {
  /** Events of the throughput phase. */
  events: number;
  /** Events published and handled before measuring, so code paths and connections are warm. */
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
  out: { env: 'BENCH_BUS_OUT', fallback: 'bench/results/bus.json' },
} as const;

type NumberOption = keyof typeof NUMBERS;

/** Each option from its command-line flag, else its environment variable, else its default. */
export function parseBusOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BusOptions {
  const flagNames = [...Object.keys(NUMBERS), ...Object.keys(TEXTS)].map(toFlag);
  const { values } = parseArgs({ args: argv, strict: true, options: Object.fromEntries(flagNames.map((flag) => [flag, { type: 'string' as const }])) });
  const raw = (name: string, setting: { env: string; fallback: number | string }): string =>
    (values[toFlag(name)] as string | undefined) ?? env[setting.env] ?? String(setting.fallback);

  const numbers = Object.fromEntries(Object.entries(NUMBERS).map(([name, setting]) => [name, positiveInteger(`--${toFlag(name)} (${setting.env})`, raw(name, setting))])) as Record<
    NumberOption,
    number
  >;
  return {
    ...numbers,
    transports: transportList(raw('transports', TEXTS.transports)),
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

function transportList(value: string): TransportKey[] {
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const unknown = keys.filter((key) => !(TRANSPORT_KEYS as readonly string[]).includes(key));
  if (keys.length === 0 || unknown.length > 0) {
    throw new Error(`--transports (BENCH_BUS_TRANSPORTS) takes a comma-separated list of ${TRANSPORT_KEYS.join(', ')}; got "${value}"`);
  }
  // Always in the same order, so the report reads a, b, c.
  return TRANSPORT_KEYS.filter((key) => keys.includes(key));
}
