import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  DelegateBackoff,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  retry,
  timeout,
  TimeoutStrategy,
  type IRetryBackoffContext,
} from 'cockatiel';
import { BulkheadFullError, CircuitOpenError, isDependencyFailure, isRetryable, TimeoutError } from './errors';
import { FailureWindowBreaker } from './failure-window-breaker';

export interface ResilienceSettings {
  /** Budget of one attempt; the work's AbortSignal fires when it is spent. */
  readonly timeoutMs: number;
  readonly retry: {
    /** Attempts in total, the first one included; 1 disables retrying. */
    readonly attempts: number;
    /** Exponential backoff with full jitter: retry n waits a random time in [0, min(max, base·2ⁿ⁻¹)). */
    readonly baseDelayMs: number;
    /** Also caps a wait the dependency asked for with `Retry-After`. */
    readonly maxDelayMs: number;
  };
  readonly breaker: {
    /** Failures within `windowMs` that open the circuit. */
    readonly threshold: number;
    readonly windowMs: number;
    /** How long the circuit stays open before one probe call may pass. */
    readonly halfOpenAfterMs: number;
  };
  readonly bulkhead: {
    /** Calls to the dependency in flight at once. */
    readonly limit: number;
    /** Calls waiting for a slot; beyond that a call is refused at once. */
    readonly queue: number;
  };
}

/**
 * What every call to a dependency gets unless told otherwise: 5 s per attempt; 4 attempts in
 * all, backing off from 100 ms up to 30 s; a circuit that opens after 5 failures within 10 s
 * and lets a trial call through 10 s later; 10 calls in flight with 10 more waiting.
 */
export const RESILIENCE_DEFAULTS: ResilienceSettings = {
  timeoutMs: 5_000,
  retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 30_000 },
  breaker: { threshold: 5, windowMs: 10_000, halfOpenAfterMs: 10_000 },
  bulkhead: { limit: 10, queue: 10 },
};

/** Every setting may be left out (or undefined) for its default. */
export interface ResiliencePolicyOptions {
  /** The dependency the policy guards, e.g. `payment-provider`; names it in errors. */
  readonly name: string;
  readonly timeoutMs?: number;
  readonly retry?: Partial<ResilienceSettings['retry']> & {
    /** Source of jitter in [0, 1); injectable so tests can pin the delay. */
    readonly random?: () => number;
  };
  readonly breaker?: Partial<ResilienceSettings['breaker']>;
  readonly bulkhead?: Partial<ResilienceSettings['bulkhead']>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface RetryEvent {
  /** The retry about to happen, 1 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface ResiliencePolicy {
  readonly name: string;
  /**
   * Runs `work` with a timeout per attempt, retries of transient failures, the circuit breaker
   * and the bulkhead. `work` must honour its AbortSignal and finish reading whatever it needs
   * before it returns, since the signal is aborted afterwards. `signal` lets the caller give up
   * early (e.g. when its own deadline is spent); nothing is retried after that.
   */
  execute<T>(work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  breakerState(): BreakerState;
  /** While the circuit is open, how long until it lets a trial call through; 0 otherwise. */
  untilHalfOpenMs(): number;
  /** Returns a function that removes the listener. */
  onBreakerStateChange(listener: (state: BreakerState) => void): () => void;
  /** Returns a function that removes the listener. */
  onRetry(listener: (event: RetryEvent) => void): () => void;
}

const BREAKER_STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  // Held open by hand: callers see it exactly like an open circuit.
  [CircuitState.Isolated]: 'open',
};

/**
 * One policy per dependency (and per instance of its adapter): the breaker and the bulkhead
 * only protect anything when every call to that dependency shares them.
 *
 * Nesting, outermost first: retry → bulkhead → breaker → timeout → work. Each retry passes the
 * bulkhead again, so a call waiting out its backoff holds no slot; the breaker sits inside the
 * bulkhead so a call that waited for a slot still fails fast if the circuit opened meanwhile,
 * and it never sees a refusal of our own bulkhead as the dependency's failure.
 */
export function createResiliencePolicy(options: ResiliencePolicyOptions): ResiliencePolicy {
  const { name } = options;
  const timeoutMs = options.timeoutMs ?? RESILIENCE_DEFAULTS.timeoutMs;
  const retrySettings = withDefaults({ ...RESILIENCE_DEFAULTS.retry, random: Math.random }, options.retry);
  const breakerSettings = withDefaults(RESILIENCE_DEFAULTS.breaker, options.breaker);
  const bulkheadSettings = withDefaults(RESILIENCE_DEFAULTS.bulkhead, options.bulkhead);
  requirePositiveIntegers(name, {
    timeoutMs,
    'retry.attempts': retrySettings.attempts,
    'breaker.threshold': breakerSettings.threshold,
    'bulkhead.limit': bulkheadSettings.limit,
  });

  const timeoutPolicy = timeout(timeoutMs, TimeoutStrategy.Cooperative);
  // cockatiel's default half-open sampling lets exactly one probe through; calls arriving
  // meanwhile wait (at most one attempt's timeout) for its verdict instead of failing. Any
  // answer that is not a dependency failure (a 429, a 4xx) proves the dependency is up and
  // closes the circuit.
  const breakerPolicy = circuitBreaker(handleWhen(isDependencyFailure), {
    halfOpenAfter: breakerSettings.halfOpenAfterMs,
    breaker: new FailureWindowBreaker(breakerSettings.threshold, breakerSettings.windowMs),
  });
  const bulkheadPolicy = bulkhead(bulkheadSettings.limit, bulkheadSettings.queue);
  const retryPolicy = retry(handleWhen(isRetryable), {
    // cockatiel counts the retries after the first attempt.
    maxAttempts: retrySettings.attempts - 1,
    backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) =>
      retryDelay({ ...retrySettings, attempt: context.attempt, error: 'error' in context.result ? context.result.error : undefined }),
    ),
  });

  let openedAt = 0;
  breakerPolicy.onBreak(() => {
    openedAt = Date.now();
  });
  const untilHalfOpen = (): number => Math.max(0, openedAt + breakerSettings.halfOpenAfterMs - Date.now());

  async function attempt<T>(work: (signal: AbortSignal) => Promise<T>, callerSignal: AbortSignal | undefined): Promise<T> {
    try {
      return await bulkheadPolicy.execute(
        ({ signal }) =>
          breakerPolicy.execute(
            ({ signal: breakerSignal }) =>
              timeoutPolicy.execute(async (_context, attemptSignal) => {
                try {
                  return await work(attemptSignal);
                } catch (error) {
                  // The attempt's signal fires on our timeout and when the caller gives up; only the former is a timeout.
                  if (attemptSignal.aborted && !callerSignal?.aborted) throw new TimeoutError(timeoutMs);
                  throw error;
                }
              }, breakerSignal),
            signal,
          ),
        callerSignal,
      );
    } catch (error) {
      if (isBrokenCircuitError(error)) throw new CircuitOpenError(name, untilHalfOpen());
      if (isBulkheadRejectedError(error)) throw new BulkheadFullError(name);
      throw error;
    }
  }

  return {
    name,
    execute: (work, signal) => retryPolicy.execute(({ signal: retrySignal }) => attempt(work, retrySignal), signal),
    breakerState: () => BREAKER_STATES[breakerPolicy.state],
    untilHalfOpenMs: () => (breakerPolicy.state === CircuitState.Open ? untilHalfOpen() : 0),
    onBreakerStateChange(listener) {
      const subscription = breakerPolicy.onStateChange((state) => listener(BREAKER_STATES[state]));
      return () => subscription.dispose();
    },
    onRetry(listener) {
      const subscription = retryPolicy.onRetry((event) => listener({ attempt: event.attempt, delayMs: event.delay, error: 'error' in event ? event.error : undefined }));
      return () => subscription.dispose();
    },
  };
}

/**
 * Full jitter (a random wait below the exponential ceiling) spreads the retries of many
 * callers that failed together. A dependency that said when to come back (`retryAfterMs`, from
 * its Retry-After) is not asked earlier; every wait stays under `maxDelayMs`.
 */
export function retryDelay({
  attempt,
  error,
  baseDelayMs,
  maxDelayMs,
  random,
}: {
  attempt: number;
  error: unknown;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.min(maxDelayMs, Math.max(jittered, retryAfterOf(error) ?? 0));
}

function retryAfterOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Like a spread, except that an override left undefined (e.g. an unset env variable) keeps the default. */
function withDefaults<T extends object>(defaults: T, overrides: Partial<T> | undefined): T {
  const defined = Object.entries(overrides ?? {}).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(defined) };
}

function requirePositiveIntegers(name: string, settings: Record<string, number>): void {
  for (const [setting, value] of Object.entries(settings)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`Resilience policy "${name}": ${setting} must be a positive integer, got ${value}`);
    }
  }
}
