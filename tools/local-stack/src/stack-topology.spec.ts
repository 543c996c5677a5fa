import { replicaNamesOf, stackTopology, streamReplicasOf } from './stack-topology';

describe('the stack’s topology', () => {
  it('names the replicas of an app after it, and runs a simulator once whatever the count', () => {
    const topology = stackTopology({ replicas: 3 });
    expect(replicaNamesOf('order-service', topology)).toEqual(['order-service-1', 'order-service-2', 'order-service-3']);
    expect(replicaNamesOf('carrier-sim', topology)).toEqual(['carrier-sim']);
    expect(replicaNamesOf('gateway', stackTopology())).toEqual(['gateway']);
  });

  it('keeps three copies of every stream on a cluster, and leaves the count alone on one server', () => {
    expect(streamReplicasOf(stackTopology({ natsCluster: 3 }))).toBe(3);
    expect(streamReplicasOf(stackTopology({ natsCluster: 5 }))).toBe(3);
    expect(streamReplicasOf(stackTopology())).toBeUndefined();
  });

  it('refuses a count given in code by its field name', () => {
    expect(() => stackTopology({ replicas: 1.5 })).toThrow('replicas must be a whole number from 1 to 9, got "1.5"');
    expect(() => stackTopology({ natsCluster: 2 })).toThrow(/^natsCluster: a cluster of two nodes/);
  });
});
