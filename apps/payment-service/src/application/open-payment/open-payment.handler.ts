import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MessageTransactions } from '@orders/persistence';
import { newId } from '@orders/shared-kernel';
import { Payment } from '../../domain/payment';
import { PaymentRepository } from '../payment.repository';
import { OpenPaymentCommand } from './open-payment.command';

/** order.placed → a pending payment holding the customer's token until the order is priced. */
@CommandHandler(OpenPaymentCommand)
export class OpenPaymentHandler implements ICommandHandler<OpenPaymentCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly payments: PaymentRepository,
  ) {}

  async execute({ event, consumer }: OpenPaymentCommand): Promise<void> {
    const { orderId, paymentToken } = event.data;
    // The same order placed twice (e.g. a replayed event with a new id) opens one payment, and
    // an order cancelled before it was placed here keeps its cancelled payment.
    await this.transactions.processOnce(event, consumer, (tx) => this.payments.addUnlessOrderHasOne(tx, Payment.open({ id: newId(), orderId, token: paymentToken })));
  }
}
