import { Query } from '@nestjs/cqrs';
import { PaymentView } from '@orders/contracts';

/** The payment of one order, as other services and the BFFs see it. Throws QueryFailure NOT_FOUND when there is none. */
export class GetPaymentQuery extends Query<PaymentView> {
  constructor(readonly orderId: string) {
    super();
  }
}
