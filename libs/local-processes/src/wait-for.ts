import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from './errors';

export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export interface WaitForOptions {
  /** What is awaited, phrased to follow "waiting for", e.g. "order-service to be ready". */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Stops waiting early, rejecting with the signal's reason (e.g. the awaited process died). */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 100;

/**
 * Calls `check` until it returns a truthy value and returns that value. A check that
 * throws counts as "not yet"; its error is reported if the wait times out. A check
 * that hangs is cut off at the deadline, so the timeout always holds.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions): Promise<Truthy<T>> {
  const { description, timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = DEFAULT_INTERVAL_MS, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await withDeadline(check, deadline);
      if (value) return value as Truthy<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    signal?.throwIfAborted();
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${errorMessage(lastError)})`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${cause}`, { cause: lastError });
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())), undefined, { signal }).catch(() => undefined);
  }
}

async function withDeadline<T>(check: () => T | Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('check did not finish before the deadline')), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([Promise.resolve().then(check), expired]);
  } finally {
    clearTimeout(timer);
  }
}
