import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SagaSettings } from '../application/saga-settings';
import { TimeOutOrdersCommand } from '../application/time-out-orders/time-out-orders.command';

const BATCH = 100;

/**
 * Cancels the orders whose saga missed its deadline: a batch at start-up and then every
 * interval, and batch after batch without waiting while they come back full (the backlog
 * of an outage). One loop per replica; replicas skip each other's orders.
 */
@Injectable()
export class SagaDeadlineWatchdog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SagaDeadlineWatchdog.name);
  private readonly stopping = new AbortController();
  private watching?: Promise<void>;

  constructor(
    private readonly commands: CommandBus,
    private readonly settings: SagaSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.watching = this.watch();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.watching;
  }

  private async watch(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      if ((await this.sweep()) === BATCH) continue;
      // Rejects only when shutdown cuts the wait short, which ends the loop.
      await sleep(this.settings.watchdogIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async sweep(): Promise<number> {
    try {
      const timedOut = await this.commands.execute(new TimeOutOrdersCommand(BATCH));
      if (timedOut > 0) this.logger.warn(`Cancelled ${timedOut} order(s) whose saga missed its deadline of ${this.settings.timeoutMs} ms`);
      return timedOut;
    } catch (error) {
      this.logger.error(`Saga deadline sweep failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
