import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventData, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { ProviderCalls, StepStanding } from '@orders/messaging';
import { Address } from '../../domain/address';
import { Shipment } from '../../domain/shipment';
import { CancelShipmentHandler } from '../cancel-shipment/cancel-shipment.handler';
import { BookingOutcome, BookingRefusal, Carrier } from '../carrier';
import { ShipmentRepository } from '../shipment.repository';
import { BookShipmentCommand } from './book-shipment.command';

type Booking = Extract<BookingOutcome, { kind: 'booked' }>;

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
    private readonly providerCalls: ProviderCalls,
    private readonly shipments: ShipmentRepository,
    private readonly carrier: Carrier,
    private readonly cancellation: CancelShipmentHandler,
  ) {}

  execute({ event, consumer, isRetry }: BookShipmentCommand): Promise<void> {
    const { orderId } = event.data;
    return this.providerCalls.takeStep<Shipment, Address, BookingOutcome, Booking>(event, consumer, isRetry, {
      orderId,
      subject: 'shipment',
      states: this.shipments,
      standing: bookingStanding,
      call: (address) => this.carrier.book({ orderId, address }),
      isResult: (outcome) => outcome.kind === 'booked',
      record: (shipment, outcome) => {
        if (outcome.kind !== 'booked') {
          shipment.fail();
          return ShippingFailed.create({ orderId, shipmentId: shipment.id, reason: FAILURE_REASONS[outcome.kind] }, { causedBy: event });
        }
        shipment.schedule(outcome);
        return ShippingScheduled.create({ orderId, shipmentId: shipment.id, trackingNumber: outcome.trackingNumber }, { causedBy: event });
      },
      recordLateResult: (shipment, booking) => shipment.recordLateBooking(booking),
      undoLateResult: () => this.cancellation.cancelLateBooking(orderId, event),
    });
  }
}

/**
 * Where a shipment stands for its booking. A cancelled one without a booking holds the
 * address an earlier, unanswered request may have been sent to.
 */
function bookingStanding(shipment: Shipment): StepStanding<Address> {
  if (shipment.status === 'REQUESTED') return { kind: 'awaiting', request: shipment.addressToBook() };
  if (shipment.holdsLateBooking) return { kind: 'holds-late-result' };
  if (shipment.status === 'CANCELLED' && shipment.carrierShipmentId === null) return { kind: 'cancelled', request: shipment.addressOfUnansweredBooking() };
  return { kind: 'settled' };
}
