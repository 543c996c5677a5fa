import { createResiliencePolicy, NetworkError } from '@orders/resilience';
import { Registry } from 'prom-client';
import { CircuitBreakerMetrics } from './circuit-breaker.metrics';

const stateOf = (metrics: string, dependency: string): string | undefined =>
  new RegExp(`^orders_circuit_breaker_state\\{dependency="${dependency}"\\} (\\d)$`, 'm').exec(metrics)?.[1];

describe('orders_circuit_breaker_state', () => {
  it('reports each tracked breaker as it is at scrape time: 0 closed, 2 open, 1 half-open', async () => {
    const registry = new Registry();
    const breakers = new CircuitBreakerMetrics(registry);
    const shipping = createResiliencePolicy({ name: 'shipping-service', retry: { attempts: 1 }, breaker: { threshold: 2, halfOpenAfterMs: 50 } });
    const payment = createResiliencePolicy({ name: 'payment-service' });
    breakers.track(shipping);
    breakers.track(payment);

    expect(stateOf(await registry.metrics(), 'shipping-service')).toBe('0');

    const unreachable = async (): Promise<never> => {
      throw new NetworkError('no responders');
    };
    for (let attempt = 0; attempt < 2; attempt++) await shipping.execute(unreachable).catch(() => undefined);
    const opened = await registry.metrics();
    expect(stateOf(opened, 'shipping-service')).toBe('2');
    expect(stateOf(opened, 'payment-service')).toBe('0');
    expect(breakers.readings()).toEqual([
      { dependency: 'payment-service', state: 'closed', halfOpenInMs: null },
      { dependency: 'shipping-service', state: 'open', halfOpenInMs: expect.any(Number) },
    ]);

    await new Promise((resolve) => setTimeout(resolve, 60));
    let releaseProbe!: () => void;
    const probe = shipping.execute(() => new Promise<void>((resolve) => (releaseProbe = resolve)));
    expect(stateOf(await registry.metrics(), 'shipping-service')).toBe('1');

    releaseProbe();
    await probe;
    expect(stateOf(await registry.metrics(), 'shipping-service')).toBe('0');
  });
});
