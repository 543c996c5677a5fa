import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { GetShipmentByOrder, QueryRequest, QueryResponse } from '@orders/contracts';
import { OnQuery } from '@orders/messaging';
import { GetShipmentHandler } from '../application/get-shipment/get-shipment.handler';

@Controller()
export class ShippingQueriesController {
  constructor(private readonly getShipment: GetShipmentHandler) {}

  @OnQuery(GetShipmentByOrder)
  getByOrder(@Payload() request: QueryRequest<typeof GetShipmentByOrder>): Promise<QueryResponse<typeof GetShipmentByOrder>> {
    return this.getShipment.execute(request.orderId);
  }
}
