import { CircuitState, type IBreaker } from 'cockatiel';

/**
 * Opens the circuit once `threshold` failures happened within the last `windowMs`.
 *
 * None of cockatiel's breakers says that: ConsecutiveBreaker ignores time (5 failures an hour
 * apart, with no success between, would open it), while SamplingBreaker and CountBreaker
 * work on failure *ratios*, so their result depends on how much traffic succeeded meanwhile.
 * Our rule is "open after `threshold` failures within `windowMs`", however much succeeded
 * meanwhile, so this counts failures in a time window.
 */
export class FailureWindowBreaker implements IBreaker {
  private failures: number[] = [];

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The recent failure times, so cockatiel can serialise and restore the breaker. */
  get state(): unknown {
    return [...this.failures];
  }

  set state(value: unknown) {
    this.failures = Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [];
  }

  success(state: CircuitState): void {
    // A successful half-open probe closes the circuit: failures from before it opened are history.
    if (state === CircuitState.HalfOpen) this.failures = [];
  }

  failure(): boolean {
    const now = this.now();
    this.failures = [...this.failures.filter((at) => now - at < this.windowMs), now];
    return this.failures.length >= this.threshold;
  }
}
