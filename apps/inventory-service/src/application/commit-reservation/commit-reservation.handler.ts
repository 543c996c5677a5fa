import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InventoryCommitted } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { InventoryRepository } from '../inventory.repository';
import { settleReservations } from '../settle-reservations';
import { CommitReservationCommand } from './commit-reservation.command';

/** payment.captured → the reserved units become committed (sold). */
@CommandHandler(CommitReservationCommand)
export class CommitReservationHandler implements ICommandHandler<CommitReservationCommand> {
  private readonly logger = new Logger(CommitReservationHandler.name);

  constructor(
    private readonly transactions: MessageTransactions,
    private readonly inventory: InventoryRepository,
  ) {}

  async execute({ event, consumer }: CommitReservationCommand): Promise<void> {
    const { orderId } = event.data;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      const reservation = await this.inventory.findReservationByOrder(tx, orderId, { lock: true });
      if (!reservation) throw new Error(`No reservation for paid order ${orderId} yet`);
      if (reservation.status === 'RELEASED') {
        // The order is cancelled (or about to be, for an expired reservation) and payment-service refunds it.
        this.logger.error(`Order ${orderId} was paid after its stock was released; the stock was not committed`);
        return;
      }
      // Committed already, or even restocked after the customer cancelled.
      if (reservation.status !== 'RESERVED') return;
      await settleReservations(this.inventory, tx, [reservation], (settled, stock) => settled.commit(stock));
      await tx.publish(InventoryCommitted.create({ orderId, reservationId: reservation.id }, { causedBy: event }));
    });
  }
}
