import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SweepLoop } from '@orders/service-runtime';
import { SagaSettings } from '../application/saga-settings';
import { TimeOutOrdersCommand } from '../application/time-out-orders/time-out-orders.command';

const BATCH = 100;

/** Cancels the orders whose saga missed its deadline; replicas skip each other's orders. */
@Injectable()
export class SagaDeadlineWatchdog extends SweepLoop {
  constructor(
    private readonly commands: CommandBus,
    private readonly settings: SagaSettings,
  ) {
    super(BATCH, settings.watchdogIntervalMs);
  }

  protected async sweep(batch: number): Promise<number> {
    const timedOut = await this.commands.execute(new TimeOutOrdersCommand(batch));
    if (timedOut > 0) this.logger.warn(`Cancelled ${timedOut} order(s) whose saga missed its deadline of ${this.settings.timeoutMs} ms`);
    return timedOut;
  }
}
