import { ChaosConfig, FULL_RUN } from './chaos/config';
import { FAULT_KINDS } from './chaos/fault-injector';
import { MIX_KINDS } from './chaos/order-mix';
import { formatSummary } from './chaos/report';
import { CHAOS_PLATFORM_OPTIONS, runChaos } from './chaos/run';
import { platformForSuite } from './support/platform';

/** The soak of `npm run chaos`, short: a minute of load with every kind of fault, on a busy two-core machine. */
const SHORT_RUN: ChaosConfig = {
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

describe('chaos soak (short)', () => {
  const platform = platformForSuite(CHAOS_PLATFORM_OPTIONS);

  it('keeps every invariant while apps are killed, NATS restarts, connections drop and providers misbehave', async () => {
    const summary = await runChaos(platform, SHORT_RUN, (line) => process.stdout.write(`[chaos] ${line}\n`));
    process.stdout.write(`${formatSummary(summary)}\n`);

    expect(summary.violations).toEqual([]);
    for (const kind of FAULT_KINDS) expect({ kind, injected: summary.faults[kind] > 0 }).toEqual({ kind, injected: true });
    for (const kind of MIX_KINDS) expect({ kind, placed: summary.orders.byKind[kind] > 0 }).toEqual({ kind, placed: true });
    // The invariants really looked at the orders, after the replay too.
    expect(summary.orders.confirmed).toBeGreaterThan(0);
    expect(summary.orders.cancelled).toBeGreaterThan(0);
    const outcomes = summary.invariants.afterReplay.find((check) => check.name === 'outcome-as-requested');
    expect(outcomes?.checked).toBe(summary.orders.confirmed + summary.orders.cancelled);
  }, 900_000);
});
