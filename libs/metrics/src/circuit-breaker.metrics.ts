import { Injectable } from '@nestjs/common';
import type { BreakerState, ResiliencePolicy } from '@orders/resilience';
import { Gauge, Registry } from 'prom-client';

/** Ordered from healthy to broken, so an alert can say "> 0" or "== 2". */
const STATE_VALUES: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * `orders_circuit_breaker_state{dependency}`: the state of the circuit breaker of every
 * resilience policy the app tracks, 0 closed, 1 half-open, 2 open. Read from the policies at
 * every scrape, so it never lags behind them.
 */
@Injectable()
export class CircuitBreakerMetrics {
  private readonly policies = new Map<string, Pick<ResiliencePolicy, 'breakerState'>>();

  constructor(registry: Registry) {
    const policies = this.policies;
    new Gauge({
      name: 'orders_circuit_breaker_state',
      help: 'State of the circuit breaker guarding each dependency: 0 closed, 1 half-open, 2 open',
      labelNames: ['dependency'],
      registers: [registry],
      collect() {
        for (const [dependency, policy] of policies) this.set({ dependency }, STATE_VALUES[policy.breakerState()]);
      },
    });
  }

  /** Reports the policy's breaker under its name, which is the `dependency` label. */
  track(policy: Pick<ResiliencePolicy, 'name' | 'breakerState'>): void {
    this.policies.set(policy.name, policy);
  }
}
