import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PaymentView } from '@orders/contracts';
import { QueryFailure } from '@orders/messaging';
import { PaymentRepository } from '../payment.repository';
import { GetPaymentQuery } from './get-payment.query';

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery> {
  constructor(private readonly payments: PaymentRepository) {}

  async execute({ orderId }: GetPaymentQuery): Promise<PaymentView> {
    const view = await this.payments.findView(orderId);
    if (!view) throw new QueryFailure('NOT_FOUND', `No payment for order ${orderId}`);
    return view;
  }
}
