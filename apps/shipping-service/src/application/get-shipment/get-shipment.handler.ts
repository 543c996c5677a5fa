import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ShipmentView } from '@orders/contracts';
import { QueryFailure } from '@orders/messaging';
import { ShipmentRepository } from '../shipment.repository';
import { GetShipmentQuery } from './get-shipment.query';

@QueryHandler(GetShipmentQuery)
export class GetShipmentHandler implements IQueryHandler<GetShipmentQuery> {
  constructor(private readonly shipments: ShipmentRepository) {}

  async execute({ orderId }: GetShipmentQuery): Promise<ShipmentView> {
    const view = await this.shipments.findView(orderId);
    if (!view) throw new QueryFailure('NOT_FOUND', `No shipment for order ${orderId}`);
    return view;
  }
}
