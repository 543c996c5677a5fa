import { Injectable } from '@nestjs/common';
import { EventData, EventEnvelope, PaymentAuthorized, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { MessageTransactions } from '@orders/messaging';
import { Carrier } from '../carrier';
import { ShipmentRepository } from '../shipment.repository';

/** payment.authorized → book the parcel (shipping.scheduled) or record that it cannot go there (shipping.failed). */
@Injectable()
export class BookShipmentHandler {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly shipments: ShipmentRepository,
    private readonly carrier: Carrier,
  ) {}

  async execute(event: EventEnvelope<EventData<typeof PaymentAuthorized>>, consumer: string): Promise<void> {
    const { orderId } = event.data;
    if (await this.transactions.wasProcessed(event, consumer)) return;
    const shipment = await this.shipments.findByOrder(orderId);
    // order.placed has not been handled yet; throwing gets this event redelivered after it.
    if (!shipment) throw new Error(`No shipment for paid order ${orderId} yet`);
    if (shipment.status !== 'REQUESTED') return;

    // The carrier is called outside the transaction so no connection is held while it answers;
    // its per-order idempotency key makes a repeated call return the first booking.
    const outcome = await this.carrier.book({ orderId, address: shipment.address });

    await this.transactions.processOnce(event, consumer, async (tx) => {
      const current = await this.shipments.lockByOrder(tx, orderId);
      // A duplicate of this event, handled concurrently, settled the shipment first.
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
  }
}
