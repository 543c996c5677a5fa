import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InventoryReleased } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Clock, newId } from '@orders/shared-kernel';
import { Reservation } from '../../domain/reservation';
import { InventoryRepository } from '../inventory.repository';
import { settleReservations } from '../settle-reservations';
import { ReturnStockCommand } from './return-stock.command';

/**
 * Gives an order's stock back, once however often it is asked:
 * - RESERVED → released, `inventory.released` COMPENSATION;
 * - COMMITTED → restocked on cancellation, `inventory.released` RESTOCKED;
 * - no reservation yet (the event overtook `order.placed`) → a tombstone, so that
 *   the late `order.placed` reserves nothing and publishes nothing;
 * - released or restocked already → nothing.
 */
@CommandHandler(ReturnStockCommand)
export class ReturnStockHandler implements ICommandHandler<ReturnStockCommand> {
  private readonly logger = new Logger(ReturnStockHandler.name);

  constructor(
    private readonly transactions: MessageTransactions,
    private readonly inventory: InventoryRepository,
    private readonly clock: Clock,
  ) {}

  async execute({ event, consumer, trigger }: ReturnStockCommand): Promise<void> {
    const { orderId } = event.data;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      const reservation = await this.inventory.findReservationByOrder(tx, orderId, { lock: true });
      if (!reservation) {
        // A concurrent order.placed inserting its reservation makes this insert fail; the redelivery then releases that one.
        await this.inventory.saveReservation(tx, Reservation.tombstone({ id: newId(), orderId, at: this.clock.now() }));
        return;
      }
      if (reservation.status === 'RESERVED') {
        await settleReservations(this.inventory, tx, [reservation], (settled, stock) => settled.release(stock));
        await tx.publish(InventoryReleased.create({ orderId, reservationId: reservation.id, reason: 'COMPENSATION' }, { causedBy: event }));
      } else if (reservation.status === 'COMMITTED' && trigger === 'order-cancelled') {
        await settleReservations(this.inventory, tx, [reservation], (settled, stock) => settled.restock(stock));
        await tx.publish(InventoryReleased.create({ orderId, reservationId: reservation.id, reason: 'RESTOCKED' }, { causedBy: event }));
      } else if (reservation.status === 'COMMITTED') {
        this.logger.warn(`Kept the sold stock of order ${orderId}: ${event.type} ${event.id} arrived after the sale`);
      }
    });
  }
}
