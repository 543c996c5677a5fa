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
      out: 'bench/results/bus.json',
    });
  });

  it('takes flags over environment variables over defaults', () => {
    const options = parseBusOptions(['--events', '500', '--timeout-seconds=5'], { BENCH_BUS_EVENTS: '900', BENCH_BUS_RATE: '300' });
    expect(options).toMatchObject({ events: 500, rate: 300, timeoutSeconds: 5, seconds: 10 });
  });

  it('keeps the report order a, b, c whatever order transports are named in', () => {
    expect(parseBusOptions(['--transports', 'nest-nats, ours'], {}).transports).toEqual(['ours', 'nest-nats']);
  });

  it.each([[['--rate', '0']], [['--seconds', '1.5']], [['--events', 'many']], [['--transports', 'ours,kafka']], [['--unknown', '1']]])('refuses %j', (argv) => {
    expect(() => parseBusOptions(argv, {})).toThrow();
  });
});
