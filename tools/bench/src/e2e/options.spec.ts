import { benchCommand, parseBenchOptions, resultsFileName } from './options';

describe('the end-to-end bench command line', () => {
  it('runs the full bench on one process per app and one NATS server unless told otherwise', () => {
    expect(parseBenchOptions([], {})).toEqual({ quick: false, profile: false, topology: { replicas: 1, natsCluster: 1 }, out: 'bench/results/e2e.json' });
    expect(parseBenchOptions(['--quick', '--profile'], {})).toEqual({ quick: true, profile: true, topology: { replicas: 1, natsCluster: 1 }, out: 'bench/results/e2e.json' });
  });

  it('takes the topology from its flags, else from STACK_REPLICAS and STACK_NATS_CLUSTER', () => {
    expect(parseBenchOptions(['--replicas', '2', '--nats-cluster', '3'], {}).topology).toEqual({ replicas: 2, natsCluster: 3 });
    expect(parseBenchOptions([], { STACK_REPLICAS: '2', STACK_NATS_CLUSTER: '3' }).topology).toEqual({ replicas: 2, natsCluster: 3 });
    expect(parseBenchOptions(['--replicas', '3'], { STACK_REPLICAS: '2' }).topology).toEqual({ replicas: 3, natsCluster: 1 });
  });

  it('refuses a topology it cannot run, naming the flag or variable, and unknown flags', () => {
    expect(() => parseBenchOptions(['--nats-cluster', '2'], {})).toThrow(/--nats-cluster/);
    expect(() => parseBenchOptions([], { STACK_REPLICAS: '0' })).toThrow(/STACK_REPLICAS/);
    expect(() => parseBenchOptions(['--fast'], {})).toThrow();
  });

  it('records the command that repeats the run, with the topology as flags wherever it came from', () => {
    expect(benchCommand(parseBenchOptions([], {}))).toBe('npm run bench');
    expect(benchCommand(parseBenchOptions(['--quick'], {}))).toBe('npm run bench -- --quick');
    expect(benchCommand(parseBenchOptions(['--quick'], { STACK_REPLICAS: '2', STACK_NATS_CLUSTER: '3' }))).toBe('npm run bench -- --quick --replicas 2 --nats-cluster 3');
  });

  it('writes the single topology to e2e.json and any other to a file named after it, unless told where', () => {
    expect(resultsFileName({ replicas: 1, natsCluster: 1 })).toBe('e2e.json');
    expect(resultsFileName({ replicas: 2, natsCluster: 3 })).toBe('e2e-replicas2-nats3.json');
    expect(resultsFileName({ replicas: 2, natsCluster: 1 })).toBe('e2e-replicas2-nats1.json');
    expect(parseBenchOptions([], { STACK_REPLICAS: '2', STACK_NATS_CLUSTER: '3' }).out).toBe('bench/results/e2e-replicas2-nats3.json');
    expect(parseBenchOptions(['--quick', '--out', '/tmp/quick.json'], {}).out).toBe('/tmp/quick.json');
    expect(benchCommand(parseBenchOptions(['--quick', '--out', '/tmp/quick.json'], {}))).toBe('npm run bench -- --quick');
  });
});
