import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { GetPaymentByOrder, QueryRequest, QueryResponse } from '@orders/contracts';
import { OnQuery } from '@orders/messaging';
import { GetPaymentHandler } from '../application/get-payment/get-payment.handler';

@Controller()
export class PaymentQueriesController {
  constructor(private readonly getPayment: GetPaymentHandler) {}

  @OnQuery(GetPaymentByOrder)
  getByOrder(@Payload() request: QueryRequest<typeof GetPaymentByOrder>): Promise<QueryResponse<typeof GetPaymentByOrder>> {
    return this.getPayment.execute(request.orderId);
  }
}
