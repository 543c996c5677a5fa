import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import { GetShipmentByOrder, QueryRequest, QueryResponse } from '@orders/contracts';
import { OnQuery } from '@orders/messaging';
import { GetShipmentQuery } from '../application/get-shipment/get-shipment.query';

@Controller()
export class ShippingQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @OnQuery(GetShipmentByOrder)
  getByOrder(@Payload() request: QueryRequest<typeof GetShipmentByOrder>): Promise<QueryResponse<typeof GetShipmentByOrder>> {
    return this.queries.execute(new GetShipmentQuery(request.orderId));
  }
}
