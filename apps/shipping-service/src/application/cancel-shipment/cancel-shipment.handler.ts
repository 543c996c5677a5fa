import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventEnvelope, ShippingCancelled } from '@orders/contracts';
import { MessageTransactions, Transaction } from '@orders/messaging';
import { newId } from '@orders/shared-kernel';
import { Shipment, ShipmentCompensation } from '../../domain/shipment';
import { Carrier } from '../carrier';
import { ShipmentRepository } from '../shipment.repository';
import { CancelShipmentCommand } from './cancel-shipment.command';

/** Commits what the cancellation recorded: together with the inbox row of the event that asked for it, or on its own. */
type Commit = (work: (tx: Transaction) => Promise<void>) => Promise<unknown>;

/**
 * order.cancelled → a requested shipment is cancelled so it is never booked; a booked
 * parcel is cancelled with the carrier (shipping.cancelled). Also cancels a parcel the
 * carrier booked after the order was cancelled.
 */
@CommandHandler(CancelShipmentCommand)
export class CancelShipmentHandler implements ICommandHandler<CancelShipmentCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly shipments: ShipmentRepository,
    private readonly carrier: Carrier,
  ) {}

  async execute({ event, consumer }: CancelShipmentCommand): Promise<void> {
    if (await this.transactions.wasProcessed(event, consumer)) return;
    await this.cancel(event.data.orderId, event, (work) => this.transactions.processOnce(event, consumer, work));
  }

  /**
   * For the booking use case, which already marked its event processed when it
   * recorded the late booking; it calls this again on every redelivery until the
   * parcel is cancelled.
   */
  cancelLateBooking(orderId: string, causedBy: EventEnvelope): Promise<void> {
    return this.cancel(orderId, causedBy, (work) => this.transactions.run(work));
  }

  /**
   * Decides on the committed state, cancels with the carrier outside any transaction
   * (idempotent per order), then records it only if the locked shipment still needs
   * that same compensation.
   */
  private async cancel(orderId: string, causedBy: EventEnvelope, commit: Commit): Promise<void> {
    const shipment = await this.shipments.findByOrder(orderId);
    // No shipment yet: order.placed has not been handled here, and must then request nothing.
    const planned: ShipmentCompensation = shipment?.compensation() ?? { kind: 'cancel' };
    if (planned.kind === 'cancel-booking') await this.carrier.cancel({ orderId, carrierShipmentId: planned.carrierShipmentId });

    await commit(async (tx) => {
      const current = await this.shipments.lockByOrder(tx, orderId);
      if (!current) {
        await this.shipments.save(tx, Shipment.cancelledBeforeRequest({ id: newId(), orderId }));
        return;
      }
      const needed = current.compensation().kind;
      // Cancelled already, e.g. by a duplicate handled concurrently.
      if (needed === 'none') return;
      // Booked since it was read: the redelivery cancels that booking with the carrier.
      if (needed !== planned.kind) throw new Error(`Shipment of order ${orderId} became ${current.status} while being cancelled; deciding again`);
      if (planned.kind === 'cancel') {
        current.cancel();
        await this.shipments.save(tx, current);
        return;
      }
      current.cancelBooking();
      await this.shipments.save(tx, current);
      await tx.publish(ShippingCancelled.create({ orderId, shipmentId: current.id }, { causedBy }));
    });
  }
}
