import { Injectable } from '@nestjs/common';
import { ShipmentView } from '@orders/contracts';
import { QueryFailure } from '@orders/messaging';
import { ShipmentRepository } from '../shipment.repository';

/** The shipment of one order, as other services and the BFFs see it. */
@Injectable()
export class GetShipmentHandler {
  constructor(private readonly shipments: ShipmentRepository) {}

  async execute(orderId: string): Promise<ShipmentView> {
    const view = await this.shipments.findView(orderId);
    if (!view) throw new QueryFailure('NOT_FOUND', `No shipment for order ${orderId}`);
    return view;
  }
}
