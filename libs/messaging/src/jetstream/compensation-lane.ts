import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import { ConcurrencyLimit } from './concurrency-limit';
import { CompensationLaneOptions } from './consumer-options';

/** Something to do at a fixed interval while a task waits for its turn. */
export interface WhileWaiting {
  everyMs: number;
  tick(): void;
}

/**
 * The limits all compensation handlers of one process share: at most `concurrency`
 * run at once and at most `ratePerSecond` start per second. A handler over either
 * limit waits its turn (FIFO) instead of failing, so a storm of compensations is
 * smoothed out rather than retried into the ground.
 */
export class CompensationLane {
  private readonly slots: ConcurrencyLimit;
  private readonly starts: RateLimiterQueue;

  constructor(options: CompensationLaneOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError('The compensation concurrency is a positive integer');
    if (!Number.isInteger(options.ratePerSecond) || options.ratePerSecond < 1) throw new RangeError('The compensation rate is a positive integer per second');
    this.slots = new ConcurrencyLimit(options.concurrency);
    this.starts = new RateLimiterQueue(new RateLimiterMemory({ points: options.ratePerSecond, duration: 1 }));
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
        await this.starts.removeTokens(1);
      } catch (error) {
        this.slots.release();
        throw error;
      }
    } finally {
      clearInterval(timer);
    }
  }
}
