import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InventoryRejected, InventoryReserved } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Clock, newId } from '@orders/shared-kernel';
import { Reservation } from '../../domain/reservation';
import { InventoryRepository } from '../inventory.repository';
import { InventorySettings } from '../inventory-settings';
import { ReserveStockCommand } from './reserve-stock.command';

/** order.placed → reserve every line atomically (inventory.reserved) or none (inventory.rejected). */
@CommandHandler(ReserveStockCommand)
export class ReserveStockHandler implements ICommandHandler<ReserveStockCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly inventory: InventoryRepository,
    private readonly settings: InventorySettings,
    private readonly clock: Clock,
  ) {}

  async execute({ event, consumer }: ReserveStockCommand): Promise<void> {
    const { orderId, items } = event.data;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      // The same order placed twice (e.g. a replayed event with a new id) reserves once, and an
      // order cancelled before it got here (a tombstone) not at all: nothing is published that
      // would restart its saga. A concurrent insert for the order fails on its unique order id.
      if (await this.inventory.findReservationByOrder(tx, orderId)) return;
      const stock = await this.inventory.lockStock(
        tx,
        items.map((item) => item.sku),
      );
      const outcome = Reservation.attempt({
        id: newId(),
        orderId,
        requested: items,
        stock,
        expiresAt: new Date(this.clock.now().getTime() + this.settings.reservationTtlMs),
      });
      if (outcome.kind === 'rejected') {
        await tx.publish(InventoryRejected.create({ orderId, reason: outcome.reason, skus: outcome.skus }, { causedBy: event }));
        return;
      }
      const { reservation } = outcome;
      await this.inventory.saveStock(tx, stock.values());
      await this.inventory.saveReservation(tx, reservation);
      await tx.publish(
        InventoryReserved.create(
          {
            orderId,
            reservationId: reservation.id,
            lines: reservation.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice.toJSON() })),
            total: reservation.total.toJSON(),
            expiresAt: reservation.expiresAt.toISOString(),
          },
          { causedBy: event },
        ),
      );
    });
  }
}
