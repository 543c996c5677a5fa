import { parseLauncherOptions } from './launcher-options';

describe('parseLauncherOptions', () => {
  it('watches nothing by default', () => {
    expect(parseLauncherOptions([]).watch).toEqual([]);
  });

  it('takes each process to watch, in either form, once', () => {
    expect(parseLauncherOptions(['--watch', 'order-service', '--watch=carrier-sim', '--watch', 'order-service']).watch).toEqual(['order-service', 'carrier-sim']);
  });

  it('refuses a name that is not a process of the stack, naming it', () => {
    expect(() => parseLauncherOptions(['--watch', 'order'])).toThrow('--watch order: not a process of the stack');
  });

  it('refuses --watch without a process', () => {
    expect(() => parseLauncherOptions(['--watch'])).toThrow(/--watch/);
  });

  it('refuses options it does not know and stray arguments', () => {
    expect(() => parseLauncherOptions(['--wach', 'order-service'])).toThrow(/--wach/);
    expect(() => parseLauncherOptions(['order-service'])).toThrow(/order-service/);
  });
});

describe('the topology the launcher runs', () => {
  it('is one process per app on one NATS server by default', () => {
    expect(parseLauncherOptions([]).topology).toEqual({ replicas: 1, natsCluster: 1 });
  });

  it('takes replicas and a NATS cluster from flags, which win over STACK_REPLICAS and STACK_NATS_CLUSTER', () => {
    expect(parseLauncherOptions(['--replicas', '2', '--nats-cluster=3']).topology).toEqual({ replicas: 2, natsCluster: 3 });
    expect(parseLauncherOptions([], { STACK_REPLICAS: '3', STACK_NATS_CLUSTER: '5' }).topology).toEqual({ replicas: 3, natsCluster: 5 });
    expect(parseLauncherOptions(['--replicas', '2'], { STACK_REPLICAS: '3', STACK_NATS_CLUSTER: '3' }).topology).toEqual({ replicas: 2, natsCluster: 3 });
  });

  it('refuses counts it cannot run, naming where they came from', () => {
    expect(() => parseLauncherOptions(['--replicas', '0'])).toThrow('--replicas must be a whole number from 1 to 9, got "0"');
    expect(() => parseLauncherOptions([], { STACK_REPLICAS: 'two' })).toThrow('STACK_REPLICAS must be a whole number from 1 to 9, got "two"');
    expect(() => parseLauncherOptions(['--nats-cluster', '7'])).toThrow('--nats-cluster must be a whole number from 1 to 5, got "7"');
    expect(() => parseLauncherOptions([], { STACK_NATS_CLUSTER: '2' })).toThrow(/STACK_NATS_CLUSTER: a cluster of two nodes/);
  });
});
