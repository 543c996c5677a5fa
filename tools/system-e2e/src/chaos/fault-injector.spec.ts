import { providerBurst, providerFaults } from './fault-injector';
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
});
