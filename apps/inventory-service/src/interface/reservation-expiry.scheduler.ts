import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SweepLoop } from '@orders/service-runtime';
import { ExpireReservationsCommand } from '../application/expire-reservations/expire-reservations.command';
import { InventorySettings } from '../application/inventory-settings';

const BATCH = 100;

/**
 * Releases expired reservations; replicas skip each other's (the release locks them with
 * SKIP LOCKED). Sweeping at start-up and again at once after a full batch releases the
 * reservations that expired while the service was down without waiting interval by interval.
 */
@Injectable()
export class ReservationExpiryScheduler extends SweepLoop {
  constructor(
    private readonly commands: CommandBus,
    settings: InventorySettings,
  ) {
    super(BATCH, settings.expirySweepIntervalMs);
  }

  protected async sweep(batch: number): Promise<number> {
    const released = await this.commands.execute(new ExpireReservationsCommand(batch));
    if (released > 0) this.logger.log(`Released ${released} expired reservation(s)`);
    return released;
  }
}
