import { FAULT_KINDS, faultKindsOf, providerBurst, providerFaults } from './fault-injector';
import { metaLeaderFromLogs } from './nats-node-faults';
import { redeliveries } from './jetstream-state';
import { seededRandom } from './random';

describe('chaos faults', () => {
  it('gives every provider fault kind a turn within three bursts and every pairing within six', () => {
    const bursts = Array.from({ length: 6 }, (_, index) => providerBurst(index));
    expect(new Set(bursts.slice(0, 3).map((burst) => burst.kind)).size).toBe(3);
    expect(new Set(bursts.map((burst) => `${burst.kind} ${burst.target}`)).size).toBe(6);
  });

  it('configures each burst the way the simulators accept', () => {
    const random = seededRandom(5);
    expect(providerFaults('provider-429', random).rules[0]).toMatchObject({ errorRates: { '429': expect.any(Number) }, retryAfterSeconds: 1 });
    expect(providerFaults('provider-latency', random).rules[0].latencyMs).toBeGreaterThanOrEqual(1_500);
  });

  it('counts redeliveries as deliveries beyond one per message', () => {
    const consumer = { stream: 'ORDER', name: 'x', numPending: 0, numAckPending: 0 };
    expect(
      redeliveries([
        { ...consumer, deliveries: 12, messages: 10 },
        { ...consumer, deliveries: 5, messages: 5 },
      ]),
    ).toBe(2);
  });

  it('injects the node, quorum, freeze, rolling-restart and Postgres faults only on the cluster', () => {
    expect(faultKindsOf('single')).toEqual(['app-kill', 'nats-restart', 'database-drop', 'provider-429', 'provider-5xx', 'provider-latency']);
    expect(faultKindsOf('cluster')).toEqual(FAULT_KINDS);
  });

  it("finds the metadata leader in the nodes' logs: the last election any node logged", () => {
    const logs = new Map([
      ['nats-1', ['[11] 2026/12/07 21:00:01.000001 [INF] Self is new JetStream cluster metadata leader', '[11] 2026/12/07 21:00:09.000001 [INF] Server Exiting..']],
      [
        'nats-2',
        [
          '[12] 2026/12/07 21:00:01.000002 [INF] JetStream cluster new metadata leader: nats-1/local',
          '[12] 2026/12/07 21:00:10.500000 [INF] JetStream cluster new metadata leader: nats-3/local',
        ],
      ],
      ['nats-3', ['[13] 2026/12/07 21:00:10.400000 [INF] Self is new JetStream cluster metadata leader']],
    ]);
    expect(metaLeaderFromLogs(logs)).toBe('nats-3');
    expect(metaLeaderFromLogs(new Map([['nats-1', ['[11] 2026/12/07 21:00:01.000001 [INF] Server is ready']]]))).toBeUndefined();
  });
});
