import { Injectable } from '@nestjs/common';
import { InventoryReleased } from '@orders/contracts';
import { MessageTransactions } from '@orders/messaging';
import { Clock } from '@orders/shared-kernel';
import { InventoryRepository } from '../inventory.repository';
import { settleReservation } from '../settle-reservation';

const BATCH = 100;

/** Returns the stock of reservations nobody paid for in time. Safe to run in every replica at once. */
@Injectable()
export class ExpireReservationsHandler {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly inventory: InventoryRepository,
    private readonly clock: Clock,
  ) {}

  /** Releases one batch; returns how many reservations expired. */
  async execute(): Promise<number> {
    return this.transactions.run(async (tx) => {
      const expired = await this.inventory.lockExpiredReservations(tx, this.clock.now(), BATCH);
      for (const reservation of expired) {
        await settleReservation(this.inventory, tx, reservation, (stock) => reservation.release(stock));
        await tx.publish(
          InventoryReleased.create(
            { orderId: reservation.orderId, reservationId: reservation.id, reason: 'EXPIRED' },
            { correlationId: `reservation-expiry-${reservation.id}` },
          ),
        );
      }
      return expired.length;
    });
  }
}
