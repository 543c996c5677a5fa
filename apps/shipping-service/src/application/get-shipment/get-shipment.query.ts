import { Query } from '@nestjs/cqrs';
import { ShipmentView } from '@orders/contracts';

/** The shipment of one order, as other services and the BFFs see it. Throws QueryFailure NOT_FOUND when there is none. */
export class GetShipmentQuery extends Query<ShipmentView> {
  constructor(readonly orderId: string) {
    super();
  }
}
