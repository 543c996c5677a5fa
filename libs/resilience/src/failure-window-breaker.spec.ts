import { CircuitState } from 'cockatiel';
import { FailureWindowBreaker } from './failure-window-breaker';

describe('FailureWindowBreaker', () => {
  let now = 0;
  const breaker = () => new FailureWindowBreaker(3, 1_000, () => now);

  beforeEach(() => {
    now = 0;
  });

  function failAt(target: FailureWindowBreaker, ...times: number[]): boolean[] {
    return times.map((time) => {
      now = time;
      return target.failure();
    });
  }

  it('opens on the threshold-th failure within the window', () => {
    expect(failAt(breaker(), 0, 400, 999)).toEqual([false, false, true]);
  });

  it('does not open when the failures are spread wider than the window', () => {
    expect(failAt(breaker(), 0, 600, 1_000, 1_700)).toEqual([false, false, false, false]);
  });

  it('is not reset by successes in a closed circuit: it counts failures, not a ratio', () => {
    const target = breaker();
    failAt(target, 0, 100);
    target.success(CircuitState.Closed);

    expect(failAt(target, 200)).toEqual([true]);
  });

  it('starts afresh once a half-open probe succeeded', () => {
    const target = breaker();
    failAt(target, 0, 100, 200);
    target.success(CircuitState.HalfOpen);

    expect(failAt(target, 300, 400)).toEqual([false, false]);
  });

  it('round-trips its state for cockatiel serialisation', () => {
    const original = breaker();
    failAt(original, 0, 100);
    const restored = breaker();
    restored.state = original.state;

    expect(failAt(restored, 200)).toEqual([true]);
  });
});
