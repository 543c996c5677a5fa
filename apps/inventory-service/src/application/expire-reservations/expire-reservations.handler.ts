import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InventoryReleased } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Clock } from '@orders/shared-kernel';
import { InventoryRepository } from '../inventory.repository';
import { settleReservations } from '../settle-reservations';
import { ExpireReservationsCommand } from './expire-reservations.command';

/** Returns the stock of reservations nobody paid for in time. Safe to run in every replica at once. */
@CommandHandler(ExpireReservationsCommand)
export class ExpireReservationsHandler implements ICommandHandler<ExpireReservationsCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly inventory: InventoryRepository,
    private readonly clock: Clock,
  ) {}

  async execute({ limit }: ExpireReservationsCommand): Promise<number> {
    return this.transactions.run(async (tx) => {
      const expired = await this.inventory.lockExpiredReservations(tx, this.clock.now(), limit);
      await settleReservations(this.inventory, tx, expired, (reservation, stock) => reservation.release(stock));
      for (const reservation of expired) {
        await tx.publish(
          InventoryReleased.create({ orderId: reservation.orderId, reservationId: reservation.id, reason: 'EXPIRED' }, { correlationId: `reservation-expiry-${reservation.id}` }),
        );
      }
      return expired.length;
    });
  }
}
