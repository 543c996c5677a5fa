import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentCaptured } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { PaymentProvider } from '../payment-provider';
import { PaymentRepository } from '../payment.repository';
import { CapturePaymentCommand } from './capture-payment.command';

/** shipping.scheduled → capture the authorized amount (payment.captured), unless the order was cancelled first. */
@CommandHandler(CapturePaymentCommand)
export class CapturePaymentHandler implements ICommandHandler<CapturePaymentCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  async execute({ event, consumer }: CapturePaymentCommand): Promise<void> {
    const { orderId } = event.data;
    if (await this.transactions.wasProcessed(event, consumer)) return;
    const payment = await this.payments.findByOrder(orderId);
    // Shipping is only scheduled for authorized payments; until ours is committed, retry later.
    if (!payment || payment.status === 'PENDING') throw new Error(`No authorized payment for shipped order ${orderId} yet`);
    // Captured already, or compensated because the order was cancelled: there is nothing (more) to charge.
    if (payment.status !== 'AUTHORIZED') return;

    // Outside the transaction, like authorization; the per-order idempotency key captures once.
    const { providerAuthorizationId, amount } = payment.authorizationToCapture();
    const outcome = await this.provider.capture({ orderId, providerAuthorizationId, amount });
    // The order was cancelled and its authorization voided first; the compensation records that.
    if (outcome.kind === 'authorization-voided') return;

    await this.transactions.processOnce(event, consumer, async (tx) => {
      const current = await this.payments.lockByOrder(tx, orderId);
      // A duplicate of this event, handled concurrently, captured it first.
      if (!current || current.status === 'CAPTURED') return;
      // Any other state than AUTHORIZED is refused, so the event is redelivered and decided again.
      current.capture(outcome.providerCaptureId);
      await this.payments.save(tx, current);
      await tx.publish(PaymentCaptured.create({ orderId, paymentId: current.id, amount: amount.toJSON() }, { causedBy: event }));
    });
  }
}
