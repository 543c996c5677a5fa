import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ExpireReservationsHandler } from '../application/expire-reservations/expire-reservations.handler';
import { InventorySettings } from '../application/inventory-settings';

/** Periodically releases expired reservations. */
@Injectable()
export class ReservationExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReservationExpiryScheduler.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly expireReservations: ExpireReservationsHandler,
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
      const released = await this.expireReservations.execute();
      if (released > 0) this.logger.log(`Released ${released} expired reservation(s)`);
    } catch (error) {
      this.logger.error(`Reservation expiry sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
