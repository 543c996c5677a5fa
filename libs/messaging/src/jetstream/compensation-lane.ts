import { RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterQueue } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { ConcurrencyLimit } from './concurrency-limit';
import { CompensationLaneOptions } from './consumer-options';

/** Something to do at a fixed interval while a task waits for its turn. */
export interface WhileWaiting {
  everyMs: number;
  tick(): void;
}

/** The table the unit-of-work migrations create for the shared count (rate-limiter-flexible's layout). */
export const COMPENSATION_STARTS_TABLE = 'compensation_starts';

/**
 * The limits all compensation handlers share: at most `concurrency` run at once in
 * one process, and at most `ratePerSecond` start per second. A handler over either
 * limit waits its turn (FIFO) instead of failing, so a storm of compensations is
 * smoothed out rather than retried into the ground.
 *
 * With the service's database the starts are counted there, so the rate is one limit
 * for all replicas together: scaling out during a storm must not multiply the
 * compensations a provider receives. While the database cannot count, each process
 * falls back to counting its own starts rather than stopping compensations.
 */
export class CompensationLane {
  private readonly slots: ConcurrencyLimit;
  private readonly starts: RateLimiterQueue;
  private readonly key?: string;

  constructor(options: CompensationLaneOptions, shared?: { database: DataSource; key: string }) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('The compensation concurrency is a positive integer');
    if (!Number.isInteger(options.ratePerSecond) || options.ratePerSecond < 1) throw new RangeError('The compensation rate is a positive integer per second');
    this.slots = new ConcurrencyLimit(options.concurrency);
    const perProcess = new RateLimiterMemory({ points: options.ratePerSecond, duration: 1 });
    const limiter: RateLimiterAbstract = shared
      ? new RateLimiterPostgres({
          storeClient: shared.database,
          storeType: 'typeorm',
          tableName: COMPENSATION_STARTS_TABLE,
          tableCreated: true,
          points: options.ratePerSecond,
          duration: 1,
          insuranceLimiter: perProcess,
        })
      : perProcess;
    this.starts = new RateLimiterQueue(limiter);
    this.key = shared?.key;
  }

  async run<T>(task: () => Promise<T>, whileWaiting?: WhileWaiting): Promise<T> {
    await this.admit(whileWaiting);
    try {
      return await task();
    } finally {
      this.slots.release();
    }
  }

  private async admit(whileWaiting?: WhileWaiting): Promise<void> {
    const timer = whileWaiting && setInterval(() => whileWaiting.tick(), whileWaiting.everyMs);
    try {
      // A slot first, then a token: tokens are spent only by tasks that can start at once.
      await this.slots.acquire();
      try {
        await this.starts.removeTokens(1, this.key);
      } catch (error) {
        this.slots.release();
        throw error;
      }
    } finally {
      clearInterval(timer);
    }
  }
}
