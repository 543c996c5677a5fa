import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventData, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { ProviderCalls, StepStanding } from '@orders/messaging';
import { Address } from '../../domain/address';
import { Shipment } from '../../domain/shipment';
import { CancelShipmentHandler } from '../cancel-shipment/cancel-shipment.handler';
import { SchedulingOutcome, SchedulingRefusal, Carrier } from '../carrier';
import { ShipmentRepository } from '../shipment.repository';
import { ScheduleShipmentCommand } from './schedule-shipment.command';

type Booking = Extract<SchedulingOutcome, { kind: 'scheduled' }>;

const FAILURE_REASONS: Readonly<Record<SchedulingRefusal['kind'], EventData<typeof ShippingFailed>['reason']>> = {
  'unsupported-destination': 'UNSUPPORTED_DESTINATION',
  'address-rejected': 'ADDRESS_REJECTED',
};

/**
 * payment.authorized → schedule the shipment with the carrier (shipping.scheduled) or
 * record that it cannot go there (shipping.failed). A cancelled shipment is never booked; a parcel booked
 * while the order was being cancelled is cancelled with the carrier, also when the
 * carrier's answer was lost and only a redelivery of the event finds it.
 */
@CommandHandler(ScheduleShipmentCommand)
export class ScheduleShipmentHandler implements ICommandHandler<ScheduleShipmentCommand> {
  constructor(
    private readonly providerCalls: ProviderCalls,
    private readonly shipments: ShipmentRepository,
    private readonly carrier: Carrier,
    private readonly cancellation: CancelShipmentHandler,
  ) {}

  execute({ event, consumer, isRetry }: ScheduleShipmentCommand): Promise<void> {
    const { orderId } = event.data;
    return this.providerCalls.takeStep<Shipment, Address, SchedulingOutcome, Booking>(event, consumer, isRetry, {
      orderId,
      subject: 'shipment',
      states: this.shipments,
      standing: schedulingStanding,
      call: (address) => this.carrier.schedule({ orderId, address }),
      isResult: (outcome) => outcome.kind === 'scheduled',
      record: (shipment, outcome) => {
        if (outcome.kind !== 'scheduled') {
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
 * Where a shipment stands for its scheduling. A cancelled one without a booking holds the
 * address an earlier, unanswered request may have been sent to.
 */
function schedulingStanding(shipment: Shipment): StepStanding<Address> {
  if (shipment.status === 'REQUESTED') return { kind: 'awaiting', request: shipment.addressToBook() };
  if (shipment.holdsLateBooking) return { kind: 'holds-late-result' };
  if (shipment.status === 'CANCELLED' && shipment.carrierShipmentId === null) return { kind: 'cancelled', request: shipment.addressOfUnansweredBooking() };
  return { kind: 'settled' };
}
