import { Injectable } from '@nestjs/common';
import { EventData, EventEnvelope, PaymentAuthorized, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { MessageTransactions, PrecedingEventMissing } from '@orders/messaging';
import { CancelShipmentHandler } from '../cancel-shipment/cancel-shipment.handler';
import { Carrier } from '../carrier';
import { ShipmentRepository } from '../shipment.repository';

/**
 * payment.authorized → book the parcel (shipping.scheduled) or record that it cannot
 * go there (shipping.failed). A cancelled shipment is never booked; a parcel booked
 * while the order was being cancelled is cancelled with the carrier.
 */
@Injectable()
export class BookShipmentHandler {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly shipments: ShipmentRepository,
    private readonly carrier: Carrier,
    private readonly cancellation: CancelShipmentHandler,
  ) {}

  async execute(event: EventEnvelope<EventData<typeof PaymentAuthorized>>, consumer: string): Promise<void> {
    const { orderId } = event.data;
    const shipment = await this.shipments.findByOrder(orderId);
    // order.placed has not been handled yet; throwing gets this event redelivered after it.
    if (!shipment) throw new PrecedingEventMissing(`No shipment for paid order ${orderId} yet`);
    // Checked before the inbox: an earlier delivery recorded a late booking, then failed to cancel it.
    if (shipment.holdsLateBooking) return this.cancellation.cancelLateBooking(orderId, event);
    if (shipment.status !== 'REQUESTED' || (await this.transactions.wasProcessed(event, consumer))) return;

    // The carrier is called outside the transaction so no connection is held while it answers;
    // its per-order idempotency key makes a repeated call return the first booking.
    const outcome = await this.carrier.book({ orderId, address: shipment.addressToBook() });

    let bookedTooLate = false;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      const current = await this.shipments.lockByOrder(tx, orderId);
      // The order was cancelled while the carrier was booking: keep the booking only to cancel it.
      if (current?.status === 'CANCELLED' && current.carrierShipmentId === null && outcome.kind === 'booked') {
        current.recordLateBooking(outcome);
        await this.shipments.save(tx, current);
        bookedTooLate = true;
        return;
      }
      // A duplicate of this event, handled concurrently, settled the shipment first (or nothing was booked).
      if (current?.status !== 'REQUESTED') return;
      if (outcome.kind === 'booked') {
        current.schedule(outcome);
        await this.shipments.save(tx, current);
        await tx.publish(ShippingScheduled.create({ orderId, shipmentId: current.id, trackingNumber: outcome.trackingNumber }, { causedBy: event }));
      } else {
        current.fail();
        await this.shipments.save(tx, current);
        await tx.publish(ShippingFailed.create({ orderId, shipmentId: current.id, reason: 'UNSUPPORTED_DESTINATION' }, { causedBy: event }));
      }
    });
    if (bookedTooLate) await this.cancellation.cancelLateBooking(orderId, event);
  }
}
