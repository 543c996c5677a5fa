import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventEnvelope, ShippingCancelled } from '@orders/contracts';
import { ProviderCalls, ProviderUndo, UndoneHere } from '@orders/messaging';
import { newId } from '@orders/shared-kernel';
import { Shipment, ShipmentCompensation } from '../../domain/shipment';
import { Carrier } from '../carrier';
import { ShipmentRepository } from '../shipment.repository';
import { CancelShipmentCommand } from './cancel-shipment.command';

/** What only the carrier can undo: a booked parcel. */
type BookedParcel = Exclude<ShipmentCompensation, UndoneHere>;

/**
 * order.cancelled → a requested shipment is cancelled so it is never booked; a booked
 * parcel is cancelled with the carrier (shipping.cancelled). Also cancels a parcel the
 * carrier booked after the order was cancelled.
 */
@CommandHandler(CancelShipmentCommand)
export class CancelShipmentHandler implements ICommandHandler<CancelShipmentCommand> {
  constructor(
    private readonly providerCalls: ProviderCalls,
    private readonly shipments: ShipmentRepository,
    private readonly carrier: Carrier,
  ) {}

  execute({ event, consumer }: CancelShipmentCommand): Promise<void> {
    return this.providerCalls.undo(event, consumer, this.cancellation(event.data.orderId, event));
  }

  /** For the booking use case, until the parcel it recorded as booked too late is cancelled. */
  cancelLateBooking(orderId: string, causedBy: EventEnvelope): Promise<void> {
    return this.providerCalls.undoLateResult(this.cancellation(orderId, causedBy));
  }

  private cancellation(orderId: string, causedBy: EventEnvelope): ProviderUndo<Shipment, BookedParcel> {
    return {
      orderId,
      subject: 'shipment',
      states: this.shipments,
      undoAtProvider: async ({ carrierShipmentId }) => {
        await this.carrier.cancel({ orderId, carrierShipmentId });
        return (shipment) => {
          shipment.cancelBooking();
          return ShippingCancelled.create({ orderId, shipmentId: shipment.id }, { causedBy });
        };
      },
      cancelledBeforehand: () => Shipment.cancelledBeforeRequest({ id: newId(), orderId }),
    };
  }
}
