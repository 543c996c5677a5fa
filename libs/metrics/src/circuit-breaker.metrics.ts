import { Injectable } from '@nestjs/common';
import type { BreakerState, ResiliencePolicy } from '@orders/resilience';
import { Gauge, Registry } from 'prom-client';

/** Ordered from healthy to broken, so an alert can say "> 0" or "== 2". */
const STATE_VALUES: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

type TrackedBreaker = Pick<ResiliencePolicy, 'name' | 'breakerState' | 'untilHalfOpenMs'>;

/** A tracked breaker as it is now. */
export interface BreakerReading {
  dependency: string;
  state: BreakerState;
  /** While it is open, how long until it lets a trial call through; null otherwise. */
  halfOpenInMs: number | null;
}

/**
 * `orders_circuit_breaker_state{dependency}`: the state of the circuit breaker of every
 * resilience policy the app tracks, 0 closed, 1 half-open, 2 open. Read from the policies at
 * every scrape, so it never lags behind them. The same readings serve the service's status
 * answer (libs/health).
 */
@Injectable()
export class CircuitBreakerMetrics {
  private readonly policies = new Map<string, TrackedBreaker>();

  constructor(registry: Registry) {
    const readings = () => this.readings();
    new Gauge({
      name: 'orders_circuit_breaker_state',
      help: 'State of the circuit breaker guarding each dependency: 0 closed, 1 half-open, 2 open',
      labelNames: ['dependency'],
      registers: [registry],
      collect() {
        for (const { dependency, state } of readings()) this.set({ dependency }, STATE_VALUES[state]);
      },
    });
  }

  /** Reports the policy's breaker under its name, which is the `dependency` label. */
  track(policy: TrackedBreaker): void {
    this.policies.set(policy.name, policy);
  }

  /** Every tracked breaker, by dependency. */
  readings(): BreakerReading[] {
    return [...this.policies.values()]
      .map((policy) => {
        const state = policy.breakerState();
        return { dependency: policy.name, state, halfOpenInMs: state === 'open' ? policy.untilHalfOpenMs() : null };
      })
      .sort((a, b) => a.dependency.localeCompare(b.dependency));
  }
}
