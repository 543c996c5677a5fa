import { Injectable } from '@nestjs/common';
import { PaymentView } from '@orders/contracts';
import { QueryFailure } from '@orders/messaging';
import { PaymentRepository } from '../payment.repository';

/** The payment of one order, as other services and the BFFs see it. */
@Injectable()
export class GetPaymentHandler {
  constructor(private readonly payments: PaymentRepository) {}

  async execute(orderId: string): Promise<PaymentView> {
    const view = await this.payments.findView(orderId);
    if (!view) throw new QueryFailure('NOT_FOUND', `No payment for order ${orderId}`);
    return view;
  }
}
