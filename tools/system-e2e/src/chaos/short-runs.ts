import { ChaosConfig, FULL_CLUSTER_RUN, FULL_RUN } from './config';
import { faultKindsOf } from './fault-injector';
import { MIX_KINDS } from './order-mix';
import { formatSummary } from './report';
import { runChaos } from './run';
import { Platform } from '../support/platform';

/** The soak of `npm run chaos`, short: a minute of load with every kind of fault, on a busy two-core machine. */
export const SHORT_RUN: ChaosConfig = {
  ...FULL_RUN,
  durationMs: 60_000,
  ratePerSecond: 3,
  customers: 4,
  killIntervalMs: 8_000,
  natsIntervalMs: 25_000,
  natsDowntimeMs: 2_000,
  databaseIntervalMs: 8_000,
  // With kinds taking turns, three bursts (one of each kind) fit well within the minute.
  providerIntervalMs: 8_000,
  providerBurstMs: 3_000,
  scarceStock: 10,
  quiescenceTimeoutMs: 240_000,
  seed: 20_251_121,
  output: undefined,
};

/**
 * `npm run chaos -- --topology cluster`, short: two minutes of load on 14 app processes and 3 NATS
 * nodes. The once-per-run faults are scaled down: 20 s of quorum loss and of a frozen replica (the
 * full run holds each longer than 2 minutes) and a rolling restart of order-service only; node faults
 * come every ~10 s so that each of their three kinds comes up. One service's Postgres (order-service's,
 * by the seed) restarts with the full run's 10 s downtime.
 */
export const SHORT_CLUSTER_RUN: ChaosConfig = {
  ...FULL_CLUSTER_RUN,
  durationMs: 120_000,
  ratePerSecond: 2,
  customers: 4,
  killIntervalMs: 15_000,
  natsIntervalMs: 10_000,
  natsDowntimeMs: 2_000,
  databaseIntervalMs: 15_000,
  providerIntervalMs: 10_000,
  providerBurstMs: 3_000,
  quorumLossMs: 20_000,
  freezeMs: 20_000,
  rollingRestartServices: 1,
  scarceStock: 10,
  quiescenceTimeoutMs: 300_000,
  seed: 20_261_204,
  output: undefined,
};

/** Runs a short soak and expects it to pass having injected every fault of its topology and placed every kind of order. */
export async function expectShortSoakToPass(platform: Platform, config: ChaosConfig): Promise<void> {
  const summary = await runChaos(platform, config, (line) => process.stdout.write(`[chaos] ${line}\n`));
  process.stdout.write(`${formatSummary(summary)}\n`);

  expect(summary.violations).toEqual([]);
  const expectedKinds = faultKindsOf(config.topology).filter((kind) => kind !== 'postgres-restart' || config.postgresDowntimeMs > 0);
  for (const kind of expectedKinds) expect({ kind, injected: (summary.faults[kind] ?? 0) > 0 }).toEqual({ kind, injected: true });
  for (const kind of MIX_KINDS) expect({ kind, placed: summary.orders.byKind[kind] > 0 }).toEqual({ kind, placed: true });
  // The invariants really looked at the orders, after the replay too.
  expect(summary.orders.confirmed).toBeGreaterThan(0);
  expect(summary.orders.cancelled).toBeGreaterThan(0);
  const outcomes = summary.invariants.afterReplay.find((check) => check.name === 'outcome-as-requested');
  expect(outcomes?.checked).toBe(summary.orders.confirmed + summary.orders.cancelled);
  expect(summary.causalOrder?.checked).toBeGreaterThan(0);
}
