import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAOS_OPTIONS, FULL_CLUSTER_RUN, FULL_RUN, parseChaosConfig } from './config';

describe('chaos configuration', () => {
  it('defaults to ten minutes at a rate that places at least 5,000 orders', () => {
    const config = parseChaosConfig([], {});
    expect(config).toEqual(FULL_RUN);
    expect((config.durationMs / 1_000) * config.ratePerSecond).toBeGreaterThanOrEqual(5_000);
  });

  it('reads seconds and numbers from environment variables, overridden by flags in either form', () => {
    const config = parseChaosConfig(['--duration', '180', '--rate=5', '--output', '/tmp/x.json'], {
      CHAOS_DURATION_S: '30',
      CHAOS_KILL_INTERVAL_S: '0',
      CHAOS_NATS_DOWNTIME_S: '1.5',
    });
    expect(config).toMatchObject({ durationMs: 180_000, ratePerSecond: 5, killIntervalMs: 0, natsDowntimeMs: 1_500, output: '/tmp/x.json' });
  });

  it('runs on the replicated topology with --topology cluster or CHAOS_TOPOLOGY, with its own faults and results file', () => {
    const config = parseChaosConfig(['--topology', 'cluster', '--rate', '4'], {});
    expect(config).toEqual({ ...FULL_CLUSTER_RUN, ratePerSecond: 4 });
    expect(config).toMatchObject({ natsIntervalMs: 45_000, output: 'bench/results/chaos-cluster.json' });
    expect(config.quorumLossMs).toBeGreaterThan(120_000);
    expect(config.freezeMs).toBeGreaterThan(120_000);
    expect(parseChaosConfig([], { CHAOS_TOPOLOGY: 'cluster' }).topology).toBe('cluster');
    expect(parseChaosConfig(['--topology=single'], { CHAOS_TOPOLOGY: 'cluster' })).toEqual(FULL_RUN);
    expect(() => parseChaosConfig(['--topology', 'mesh'], {})).toThrow(/--topology must be single or cluster/);
  });

  it('refuses unknown flags, missing values and negative numbers', () => {
    expect(() => parseChaosConfig(['--speed', '3'], {})).toThrow(/Unknown argument "--speed"/);
    expect(() => parseChaosConfig(['--rate'], {})).toThrow(/--rate needs a value/);
    expect(() => parseChaosConfig([], { CHAOS_RATE: '-1' })).toThrow(/CHAOS_RATE must be a non-negative number/);
  });

  it('documents every option in the header of main.ts', () => {
    const header = readFileSync(join(__dirname, 'main.ts'), 'utf8').split('*/')[0];
    for (const option of CHAOS_OPTIONS) expect(header).toMatch(new RegExp(`--${option.flag}\\s+${option.env}\\s`));
  });
});
