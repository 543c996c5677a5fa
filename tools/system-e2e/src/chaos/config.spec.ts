import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAOS_OPTIONS, FULL_RUN, parseChaosConfig } from './config';

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
