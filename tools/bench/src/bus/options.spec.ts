import { parseBusOptions } from './options';

describe('parseBusOptions', () => {
  it('defaults to every transport at the documented sizes', () => {
    expect(parseBusOptions([], {})).toEqual({
      events: 20_000,
      warmup: 2_000,
      rate: 1_000,
      seconds: 10,
      window: 256,
      timeoutSeconds: 90,
      transports: ['ours', 'plugin', 'nest-nats'],
      modes: ['drain', 'concurrent'],
      profile: false,
      out: 'bench/results/bus.json',
    });
  });

  it('takes flags over environment variables over defaults', () => {
    const options = parseBusOptions(['--events', '500', '--timeout-seconds=5'], { BENCH_BUS_EVENTS: '900', BENCH_BUS_RATE: '300' });
    expect(options).toMatchObject({ events: 500, rate: 300, timeoutSeconds: 5, seconds: 10 });
  });

  it('keeps the report order whatever order transports and modes are named in', () => {
    expect(parseBusOptions(['--transports', 'nest-nats, ours'], {}).transports).toEqual(['ours', 'nest-nats']);
    expect(parseBusOptions(['--modes', 'concurrent,drain'], {}).modes).toEqual(['drain', 'concurrent']);
  });

  it('runs one mode, and profiles, when asked to', () => {
    expect(parseBusOptions(['--profile'], { BENCH_BUS_MODES: 'drain' })).toMatchObject({ modes: ['drain'], profile: true });
    expect(parseBusOptions([], { BENCH_BUS_PROFILE: '1' }).profile).toBe(true);
  });

  it.each([[['--rate', '0']], [['--seconds', '1.5']], [['--events', 'many']], [['--transports', 'ours,kafka']], [['--modes', 'burst']], [['--modes', '']], [['--unknown', '1']]])(
    'refuses %j',
    (argv) => {
      expect(() => parseBusOptions(argv, {})).toThrow();
    },
  );
});
