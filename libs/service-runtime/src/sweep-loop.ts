import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A background sweep: a batch at start-up and then every interval, and batch after batch
 * without waiting while they come back full (the backlog of an outage). One loop per
 * replica, so what a sweep does must be safe to run in several replicas at once. A failed
 * sweep is logged and tried again at the next interval.
 */
export abstract class SweepLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly stopping = new AbortController();
  private running?: Promise<void>;

  /**
   * @param batch the most one sweep handles.
   * @param intervalMs the pause after a sweep that did not fill its batch.
   */
  protected constructor(
    private readonly batch: number,
    private readonly intervalMs: number,
  ) {}

  /** Handles up to `batch` items; answers how many it handled. */
  protected abstract sweep(batch: number): Promise<number>;

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      if ((await this.sweepOnce()) === this.batch) continue;
      // Rejects only when shutdown cuts the wait short, which ends the loop.
      await sleep(this.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async sweepOnce(): Promise<number> {
    try {
      return await this.sweep(this.batch);
    } catch (error) {
      this.logger.error(`Sweep failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
