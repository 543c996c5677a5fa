import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import { GetPaymentByOrder, QueryRequest, QueryResponse } from '@orders/contracts';
import { OnQuery } from '@orders/messaging';
import { GetPaymentQuery } from '../application/get-payment/get-payment.query';

@Controller()
export class PaymentQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @OnQuery(GetPaymentByOrder)
  getByOrder(@Payload() request: QueryRequest<typeof GetPaymentByOrder>): Promise<QueryResponse<typeof GetPaymentByOrder>> {
    return this.queries.execute(new GetPaymentQuery(request.orderId));
  }
}
