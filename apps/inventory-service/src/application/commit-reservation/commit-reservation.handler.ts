import { Injectable, Logger } from '@nestjs/common';
import { EventData, EventEnvelope, InventoryCommitted, PaymentCaptured } from '@orders/contracts';
import { MessageTransactions } from '@orders/messaging';
import { InventoryRepository } from '../inventory.repository';

/** payment.captured → the reserved units become committed (sold). */
@Injectable()
export class CommitReservationHandler {
  private readonly logger = new Logger(CommitReservationHandler.name);

  constructor(
    private readonly transactions: MessageTransactions,
    private readonly inventory: InventoryRepository,
  ) {}

  async execute(event: EventEnvelope<EventData<typeof PaymentCaptured>>, consumer: string): Promise<void> {
    const { orderId } = event.data;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      const reservation = await this.inventory.findReservationByOrder(tx, orderId, { lock: true });
      if (!reservation) throw new Error(`No reservation for paid order ${orderId} yet`);
      if (reservation.status === 'COMMITTED') return;
      if (reservation.status === 'RELEASED') {
        this.logger.error(`Order ${orderId} was paid after its reservation was released; stock was not committed`);
        return;
      }
      const stock = await this.inventory.lockStock(
        tx,
        reservation.lines.map((line) => line.sku),
      );
      reservation.commit(stock);
      await this.inventory.saveStock(tx, stock.values());
      await this.inventory.saveReservation(tx, reservation);
      await tx.publish(InventoryCommitted.create({ orderId, reservationId: reservation.id }, { causedBy: event }));
    });
  }
}
