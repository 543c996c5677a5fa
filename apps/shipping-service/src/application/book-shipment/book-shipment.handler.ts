import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventData, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { MessageTransactions, PrecedingEventMissing } from '@orders/messaging';
import { Address } from '../../domain/address';
import { Shipment } from '../../domain/shipment';
import { CancelShipmentHandler } from '../cancel-shipment/cancel-shipment.handler';
import { BookingRefusal, Carrier } from '../carrier';
import { ShipmentRepository } from '../shipment.repository';
import { BookShipmentCommand } from './book-shipment.command';

const FAILURE_REASONS: Readonly<Record<BookingRefusal['kind'], EventData<typeof ShippingFailed>['reason']>> = {
  'unsupported-destination': 'UNSUPPORTED_DESTINATION',
  'address-rejected': 'ADDRESS_REJECTED',
};

/**
 * payment.authorized → book the parcel (shipping.scheduled) or record that it cannot
 * go there (shipping.failed). A cancelled shipment is never booked; a parcel booked
 * while the order was being cancelled is cancelled with the carrier, also when the
 * carrier's answer was lost and only a redelivery of the event finds it.
 */
@CommandHandler(BookShipmentCommand)
export class BookShipmentHandler implements ICommandHandler<BookShipmentCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly shipments: ShipmentRepository,
    private readonly carrier: Carrier,
    private readonly cancellation: CancelShipmentHandler,
  ) {}

  async execute({ event, consumer, isRetry }: BookShipmentCommand): Promise<void> {
    const { orderId } = event.data;
    const shipment = await this.shipments.findByOrder(orderId);
    // order.placed has not been handled yet; throwing gets this event redelivered after it.
    if (!shipment) throw new PrecedingEventMissing(`No shipment for paid order ${orderId} yet`);
    // Checked before the inbox: an earlier delivery recorded a late booking, then failed to cancel it.
    if (shipment.holdsLateBooking) return this.cancellation.cancelLateBooking(orderId, event);
    const address = addressToBookFor(shipment, isRetry);
    if (address === null || (await this.transactions.wasProcessed(event, consumer))) return;

    // The carrier is called outside the transaction so no connection is held while it answers;
    // its per-order idempotency key makes a repeated call return the first booking.
    const outcome = await this.carrier.book({ orderId, address });

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
        await tx.publish(ShippingFailed.create({ orderId, shipmentId: current.id, reason: FAILURE_REASONS[outcome.kind] }, { causedBy: event }));
      }
    });
    if (bookedTooLate) await this.cancellation.cancelLateBooking(orderId, event);
  }
}

/**
 * A requested shipment is booked. A shipment cancelled while requested is asked about
 * again only on a retry: an earlier delivery may have been booked by the carrier and then
 * timed out, crashed or lost its database connection before recording it. The same
 * idempotency key returns that booking, which is then cancelled like any late one (or, if
 * the earlier delivery never reached the carrier, books once and is cancelled at once).
 */
function addressToBookFor(shipment: Shipment, isRetry: boolean): Address | null {
  if (shipment.status === 'REQUESTED') return shipment.addressToBook();
  return isRetry ? shipment.addressOfUnansweredBooking() : null;
}
