import { BulkheadFullError, CircuitOpenError, HttpStatusError, isTransient, TimeoutError } from './errors';
import { createResiliencePolicy, type ResiliencePolicyOptions, retryDelay, type RetryEvent } from './resilience-policy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const httpError = (status: number, retryAfterMs?: number) => new HttpStatusError(status, `answered ${status}`, { retryAfterMs });

/** Small delays throughout, so the tests run fast without fake timers. */
function policy(options: Partial<ResiliencePolicyOptions> = {}) {
  return createResiliencePolicy({
    name: 'test-dependency',
    ...options,
    retry: { baseDelayMs: 1, maxDelayMs: 20, ...options.retry },
  });
}

/** Work that only ends when its signal aborts, as a well-behaved fetch would. */
const hangUntilAborted = (signal: AbortSignal): Promise<never> => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

/** Work that fails with the given errors in turn, then succeeds; counts its calls. */
function scripted(...failures: Error[]) {
  const work = jest.fn(async () => {
    const failure = failures[work.mock.calls.length - 1];
    if (failure) throw failure;
    return 'done';
  });
  return work;
}

describe('createResiliencePolicy', () => {
  describe('retry', () => {
    it('retries a 503 and returns the later success', async () => {
      const work = scripted(httpError(503));

      await expect(policy().execute(work)).resolves.toBe('done');
      expect(work).toHaveBeenCalledTimes(2);
    });

    it.each([408, 429, 500, 502, 504])('retries a %i', async (status) => {
      const work = scripted(httpError(status), httpError(status));

      await expect(policy().execute(work)).resolves.toBe('done');
      expect(work).toHaveBeenCalledTimes(3);
    });

    it.each([400, 401, 403, 404, 409, 422])('never retries a %i', async (status) => {
      const work = scripted(httpError(status));

      await expect(policy().execute(work)).rejects.toMatchObject({ status });
      expect(work).toHaveBeenCalledTimes(1);
    });

    it('does not retry an error it cannot classify, such as a bug', async () => {
      const work = scripted(new TypeError('undefined is not a function'));

      await expect(policy().execute(work)).rejects.toBeInstanceOf(TypeError);
      expect(work).toHaveBeenCalledTimes(1);
    });

    it('makes 4 attempts by default, then throws the last error with its retryAfterMs', async () => {
      const work = scripted(httpError(503), httpError(503), httpError(503), httpError(429, 7));

      const error = await policy()
        .execute(work)
        .catch((caught: unknown) => caught);

      expect(work).toHaveBeenCalledTimes(4);
      expect(error).toBeInstanceOf(HttpStatusError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 7 });
      expect(isTransient(error)).toBe(true);
    });

    it('makes as many attempts as configured', async () => {
      const work = scripted(httpError(503), httpError(503));

      await expect(policy({ retry: { attempts: 2 } }).execute(work)).rejects.toMatchObject({ status: 503 });
      expect(work).toHaveBeenCalledTimes(2);
    });

    it('waits at least as long as Retry-After asked before the next attempt', async () => {
      // No jitter at all, so only Retry-After can explain the wait.
      const guarded = policy({ retry: { random: () => 0, maxDelayMs: 1_000 } });
      const retries: RetryEvent[] = [];
      guarded.onRetry((event) => retries.push(event));
      const calledAt: number[] = [];
      const work = jest.fn(async () => {
        calledAt.push(performance.now());
        if (calledAt.length === 1) throw httpError(429, 150);
        return 'done';
      });

      await expect(guarded.execute(work)).resolves.toBe('done');

      expect(retries).toEqual([expect.objectContaining({ attempt: 1, delayMs: 150 })]);
      expect(calledAt[1] - calledAt[0]).toBeGreaterThanOrEqual(145);
    });
  });

  describe('retryDelay', () => {
    const settings = { baseDelayMs: 100, maxDelayMs: 30_000 };

    it('draws a full-jitter delay below the exponential ceiling', () => {
      expect(retryDelay({ ...settings, attempt: 1, error: undefined, random: () => 0.999 })).toBe(99);
      expect(retryDelay({ ...settings, attempt: 3, error: undefined, random: () => 0.5 })).toBe(200);
      expect(retryDelay({ ...settings, attempt: 3, error: undefined, random: () => 0 })).toBe(0);
    });

    it('never exceeds the cap, however many attempts were made', () => {
      expect(retryDelay({ ...settings, attempt: 40, error: undefined, random: () => 0.999 })).toBeLessThan(30_000);
      expect(retryDelay({ ...settings, attempt: 2_000, error: undefined, random: () => 0.5 })).toBe(15_000);
    });

    it('waits at least what Retry-After asked, capped by the maximum delay', () => {
      expect(retryDelay({ ...settings, attempt: 1, error: httpError(429, 2_000), random: () => 0.5 })).toBe(2_000);
      expect(retryDelay({ ...settings, attempt: 1, error: httpError(503, 60_000), random: () => 0.5 })).toBe(30_000);
    });
  });

  describe('circuit breaker', () => {
    const breakerOptions = { retry: { attempts: 1 }, breaker: { threshold: 5, windowMs: 10_000, halfOpenAfterMs: 100 } };

    async function failTimes(guarded: ReturnType<typeof policy>, times: number, status = 503): Promise<void> {
      for (let call = 0; call < times; call++) {
        await expect(guarded.execute(scripted(httpError(status)))).rejects.toMatchObject({ status });
      }
    }

    it('opens after 5 failures within the window and then fails fast without calling the dependency', async () => {
      const guarded = policy(breakerOptions);
      await failTimes(guarded, 4);
      expect(guarded.breakerState()).toBe('closed');
      expect(guarded.untilHalfOpenMs()).toBe(0);
      await failTimes(guarded, 1);
      expect(guarded.breakerState()).toBe('open');
      expect(guarded.untilHalfOpenMs()).toBeGreaterThan(0);
      expect(guarded.untilHalfOpenMs()).toBeLessThanOrEqual(100);

      const work = scripted();
      const error = await guarded.execute(work).catch((caught: unknown) => caught);

      expect(work).not.toHaveBeenCalled();
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(isTransient(error)).toBe(true);
      expect((error as CircuitOpenError).retryAfterMs).toBeGreaterThan(0);
      expect((error as CircuitOpenError).retryAfterMs).toBeLessThanOrEqual(100);
    });

    it('does not retry while the circuit is open', async () => {
      const guarded = policy({ ...breakerOptions, retry: { attempts: 4 } });
      // Every call makes 4 failing attempts, so two calls open the circuit on the fifth failure.
      await expect(guarded.execute(async () => Promise.reject(httpError(503)))).rejects.toMatchObject({ status: 503 });
      const work = jest.fn(async () => Promise.reject(httpError(503)));
      await expect(guarded.execute(work)).rejects.toBeInstanceOf(CircuitOpenError);

      expect(work).toHaveBeenCalledTimes(1);
    });

    it('lets one probe through after the half-open delay and closes when it succeeds', async () => {
      const guarded = policy(breakerOptions);
      const states: string[] = [];
      guarded.onBreakerStateChange((state) => states.push(state));
      await failTimes(guarded, 5);

      await sleep(120);
      await expect(guarded.execute(scripted())).resolves.toBe('done');

      expect(guarded.breakerState()).toBe('closed');
      expect(states).toEqual(['open', 'half-open', 'closed']);
      // Closed again with a clean slate: a single new failure does not reopen it.
      await failTimes(guarded, 1);
      expect(guarded.breakerState()).toBe('closed');
    });

    it('reopens when the probe fails', async () => {
      const guarded = policy(breakerOptions);
      await failTimes(guarded, 5);

      await sleep(120);
      await failTimes(guarded, 1);

      expect(guarded.breakerState()).toBe('open');
      await expect(guarded.execute(scripted())).rejects.toBeInstanceOf(CircuitOpenError);
    });

    it('counts 5xx but neither back-pressure (429) nor refusals (4xx)', async () => {
      const guarded = policy(breakerOptions);
      await failTimes(guarded, 10, 429);
      await failTimes(guarded, 10, 404);
      expect(guarded.breakerState()).toBe('closed');

      await failTimes(guarded, 5, 500);
      expect(guarded.breakerState()).toBe('open');
    });

    it('counts timeouts', async () => {
      const guarded = policy({ ...breakerOptions, timeoutMs: 5 });
      for (let call = 0; call < 5; call++) {
        await expect(guarded.execute((signal) => hangUntilAborted(signal))).rejects.toBeInstanceOf(TimeoutError);
      }

      expect(guarded.breakerState()).toBe('open');
    });

    it('forgets failures older than the window', async () => {
      const guarded = policy({ ...breakerOptions, breaker: { ...breakerOptions.breaker, windowMs: 50 } });
      await failTimes(guarded, 4);
      await sleep(80);
      await failTimes(guarded, 4);

      expect(guarded.breakerState()).toBe('closed');
    });

    it('stops reporting state changes to a removed listener', async () => {
      const guarded = policy(breakerOptions);
      const listener = jest.fn();
      guarded.onBreakerStateChange(listener)();

      await failTimes(guarded, 5);

      expect(guarded.breakerState()).toBe('open');
      expect(listener).not.toHaveBeenCalled();
    });
  });

  describe('bulkhead', () => {
    function gate() {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { open, opened };
    }

    it('never runs more calls at once than its limit, and queues the rest', async () => {
      const guarded = policy({ bulkhead: { limit: 2, queue: 10 } });
      const release = gate();
      let running = 0;
      let peak = 0;
      const work = async (): Promise<string> => {
        running += 1;
        peak = Math.max(peak, running);
        await release.opened;
        running -= 1;
        return 'done';
      };

      const calls = Array.from({ length: 6 }, () => guarded.execute(work));
      await sleep(20);
      expect(running).toBe(2);
      release.open();

      await expect(Promise.all(calls)).resolves.toEqual(Array(6).fill('done'));
      expect(peak).toBe(2);
    });

    it('refuses a call at once when the slots and the queue are full', async () => {
      const guarded = policy({ retry: { attempts: 1 }, bulkhead: { limit: 1, queue: 1 } });
      const release = gate();
      const held = [guarded.execute(() => release.opened), guarded.execute(() => release.opened)];

      const refused = await guarded.execute(async () => 'never').catch((caught: unknown) => caught);

      expect(refused).toBeInstanceOf(BulkheadFullError);
      expect(isTransient(refused)).toBe(true);
      release.open();
      await Promise.all(held);
      expect(guarded.breakerState()).toBe('closed');
    });
  });

  describe('timeout', () => {
    it('aborts the attempt once its budget is spent and reports a transient timeout', async () => {
      const signals: AbortSignal[] = [];
      const error = await policy({ timeoutMs: 30, retry: { attempts: 1 } })
        .execute((signal) => {
          signals.push(signal);
          return hangUntilAborted(signal);
        })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(TimeoutError);
      expect(isTransient(error)).toBe(true);
      expect(signals[0].aborted).toBe(true);
    });

    it('gives the next attempt a fresh budget', async () => {
      const work = jest.fn(async (signal: AbortSignal): Promise<string> => (work.mock.calls.length === 1 ? hangUntilAborted(signal) : 'done'));

      await expect(policy({ timeoutMs: 30, retry: { attempts: 2 } }).execute(work)).resolves.toBe('done');
      expect(work).toHaveBeenCalledTimes(2);
    });

    it('neither calls it a timeout nor retries when the caller gave up', async () => {
      const caller = new AbortController();
      const work = jest.fn((signal: AbortSignal) => hangUntilAborted(signal));
      const call = policy({ timeoutMs: 5_000 }).execute(work, caller.signal);

      caller.abort(new Error('caller gone'));

      await expect(call).rejects.toThrow('caller gone');
      expect(work).toHaveBeenCalledTimes(1);
    });
  });

  it('refuses settings that would disable a guard', () => {
    expect(() => createResiliencePolicy({ name: 'bad', bulkhead: { limit: 0 } })).toThrow(RangeError);
    expect(() => createResiliencePolicy({ name: 'bad', retry: { attempts: 0 } })).toThrow(/retry.attempts/);
  });

  it('keeps the default for a setting given as undefined', async () => {
    const work = scripted(httpError(503), httpError(503), httpError(503));

    await expect(policy({ retry: { attempts: undefined } }).execute(work)).resolves.toBe('done');
    expect(work).toHaveBeenCalledTimes(4);
  });
});
