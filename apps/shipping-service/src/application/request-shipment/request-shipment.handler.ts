import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MessageTransactions } from '@orders/persistence';
import { newId } from '@orders/shared-kernel';
import { Address } from '../../domain/address';
import { Shipment } from '../../domain/shipment';
import { ShipmentRepository } from '../shipment.repository';
import { RequestShipmentCommand } from './request-shipment.command';

/** order.placed → a requested shipment holding the address until the order is paid for. */
@CommandHandler(RequestShipmentCommand)
export class RequestShipmentHandler implements ICommandHandler<RequestShipmentCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly shipments: ShipmentRepository,
  ) {}

  async execute({ event, consumer }: RequestShipmentCommand): Promise<void> {
    const { orderId, shippingAddress } = event.data;
    // The same order placed twice (e.g. a replayed event with a new id) requests one shipment, and
    // an order cancelled before it was placed here keeps its cancelled shipment.
    await this.transactions.processOnce(event, consumer, (tx) =>
      this.shipments.addUnlessOrderHasOne(tx, Shipment.request({ id: newId(), orderId, address: Address.of(shippingAddress) })),
    );
  }
}
