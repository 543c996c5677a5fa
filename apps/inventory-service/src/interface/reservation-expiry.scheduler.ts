import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ExpireReservationsCommand } from '../application/expire-reservations/expire-reservations.command';
import { InventorySettings } from '../application/inventory-settings';

const BATCH = 100;

/** Periodically releases expired reservations. */
@Injectable()
export class ReservationExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReservationExpiryScheduler.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly commands: CommandBus,
    private readonly settings: InventorySettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    }, this.settings.expirySweepIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private async sweep(): Promise<void> {
    try {
      const released = await this.commands.execute(new ExpireReservationsCommand(BATCH));
      if (released > 0) this.logger.log(`Released ${released} expired reservation(s)`);
    } catch (error) {
      this.logger.error(`Reservation expiry sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
