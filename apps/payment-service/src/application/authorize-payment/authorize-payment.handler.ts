import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentAuthorized, PaymentFailed } from '@orders/contracts';
import { MessageTransactions, PrecedingEventMissing } from '@orders/messaging';
import { Money } from '@orders/shared-kernel';
import { Payment } from '../../domain/payment';
import { CompensatePaymentHandler } from '../compensate-payment/compensate-payment.handler';
import { PaymentProvider } from '../payment-provider';
import { PaymentRepository } from '../payment.repository';
import { AuthorizePaymentCommand } from './authorize-payment.command';

/**
 * inventory.reserved → authorize the order total (payment.authorized) or record the
 * decline (payment.failed). A cancelled payment is never authorized; an authorization
 * approved while the order was being cancelled is voided, also when the provider's answer
 * was lost and only a redelivery of the event finds it.
 */
@CommandHandler(AuthorizePaymentCommand)
export class AuthorizePaymentHandler implements ICommandHandler<AuthorizePaymentCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
    private readonly compensation: CompensatePaymentHandler,
  ) {}

  async execute({ event, consumer, isRetry }: AuthorizePaymentCommand): Promise<void> {
    const { orderId } = event.data;
    const payment = await this.payments.findByOrder(orderId);
    // order.placed has not been handled yet; throwing gets this event redelivered after it.
    if (!payment) throw new PrecedingEventMissing(`No payment for reserved order ${orderId} yet`);
    // Checked before the inbox: an earlier delivery recorded a late authorization, then failed to void it.
    if (payment.holdsLateAuthorization) return this.compensation.voidLateAuthorization(orderId, event);
    const token = tokenToAuthorizeWith(payment, isRetry);
    if (token === null || (await this.transactions.wasProcessed(event, consumer))) return;

    // The provider is called outside the transaction so no connection is held while it answers;
    // its per-order idempotency key makes a repeated call return the first outcome.
    const amount = Money.of(event.data.total.amount, event.data.total.currency);
    const outcome = await this.provider.authorize({ orderId, amount, token });

    let authorizedTooLate = false;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      const current = await this.payments.lockByOrder(tx, orderId);
      // The order was cancelled while the provider was authorizing: keep the authorization only to void it.
      if (current?.status === 'CANCELLED' && !current.holdsLateAuthorization && outcome.kind === 'approved') {
        current.recordLateAuthorization(amount, outcome.providerAuthorizationId);
        await this.payments.save(tx, current);
        authorizedTooLate = true;
        return;
      }
      // A duplicate of this event, handled concurrently, settled the payment first (or a decline needs no undoing).
      if (current?.status !== 'PENDING') return;
      if (outcome.kind === 'approved') {
        current.authorize(amount, outcome.providerAuthorizationId);
        await this.payments.save(tx, current);
        await tx.publish(PaymentAuthorized.create({ orderId, paymentId: current.id, amount: amount.toJSON() }, { causedBy: event }));
      } else {
        current.decline(amount);
        await this.payments.save(tx, current);
        await tx.publish(PaymentFailed.create({ orderId, paymentId: current.id, reason: 'DECLINED' }, { causedBy: event }));
      }
    });
    if (authorizedTooLate) await this.compensation.voidLateAuthorization(orderId, event);
  }
}

/**
 * A pending payment is authorized. A payment cancelled while pending is asked about again
 * only on a retry: an earlier delivery may have been authorized by the provider and then
 * timed out, crashed or lost its database connection before recording it. The same
 * idempotency key returns that authorization, which is then voided like any late one (or,
 * if the earlier delivery never reached the provider, authorizes once and is voided at once).
 */
function tokenToAuthorizeWith(payment: Payment, isRetry: boolean): string | null {
  if (payment.status === 'PENDING') return payment.tokenToAuthorize();
  return isRetry ? payment.tokenOfUnansweredAuthorization() : null;
}
