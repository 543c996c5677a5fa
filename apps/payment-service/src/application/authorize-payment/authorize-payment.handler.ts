import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PaymentAuthorized, PaymentFailed } from '@orders/contracts';
import { ProviderCalls, StepStanding } from '@orders/messaging';
import { Money } from '@orders/shared-kernel';
import { Payment } from '../../domain/payment';
import { CompensatePaymentHandler } from '../compensate-payment/compensate-payment.handler';
import { AuthorizationOutcome, PaymentProvider } from '../payment-provider';
import { PaymentRepository } from '../payment.repository';
import { AuthorizePaymentCommand } from './authorize-payment.command';

type Approval = Extract<AuthorizationOutcome, { kind: 'approved' }>;

/**
 * inventory.reserved → authorize the order total (payment.authorized) or record the
 * decline (payment.failed). A cancelled payment is never authorized; an authorization
 * approved while the order was being cancelled is voided, also when the provider's answer
 * was lost and only a redelivery of the event finds it.
 */
@CommandHandler(AuthorizePaymentCommand)
export class AuthorizePaymentHandler implements ICommandHandler<AuthorizePaymentCommand> {
  constructor(
    private readonly providerCalls: ProviderCalls,
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
    private readonly compensation: CompensatePaymentHandler,
  ) {}

  execute({ event, consumer, isRetry }: AuthorizePaymentCommand): Promise<void> {
    const { orderId } = event.data;
    const amount = Money.of(event.data.total.amount, event.data.total.currency);
    return this.providerCalls.takeStep<Payment, string, AuthorizationOutcome, Approval>(event, consumer, isRetry, {
      orderId,
      subject: 'payment',
      states: this.payments,
      standing: authorizationStanding,
      call: (token) => this.provider.authorize({ orderId, amount, token }),
      isResult: (outcome) => outcome.kind === 'approved',
      record: (payment, outcome) => {
        if (outcome.kind === 'declined') {
          payment.decline(amount);
          return PaymentFailed.create({ orderId, paymentId: payment.id, reason: 'DECLINED' }, { causedBy: event });
        }
        payment.authorize(amount, outcome.providerAuthorizationId);
        return PaymentAuthorized.create({ orderId, paymentId: payment.id, amount: amount.toJSON() }, { causedBy: event });
      },
      recordLateResult: (payment, approval) => payment.recordLateAuthorization(amount, approval.providerAuthorizationId),
      undoLateResult: () => this.compensation.voidLateAuthorization(orderId, event),
    });
  }
}

/**
 * Where a payment stands for its authorization. A cancelled one without an authorization
 * holds the token an earlier, unanswered request may have been sent with.
 */
function authorizationStanding(payment: Payment): StepStanding<string> {
  if (payment.status === 'PENDING') return { kind: 'awaiting', request: payment.tokenToAuthorize() };
  if (payment.holdsLateAuthorization) return { kind: 'holds-late-result' };
  if (payment.status === 'CANCELLED') return { kind: 'cancelled', request: payment.tokenOfUnansweredAuthorization() };
  return { kind: 'settled' };
}
