import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventEnvelope, PaymentRefunded, PaymentVoided } from '@orders/contracts';
import { PrecedingEventMissing, ProviderCalls, ProviderUndo, UndoneHere } from '@orders/messaging';
import { newId } from '@orders/shared-kernel';
import { Payment, PaymentCompensation } from '../../domain/payment';
import { PaymentProvider } from '../payment-provider';
import { PaymentRepository } from '../payment.repository';
import { CompensatePaymentCommand } from './compensate-payment.command';

/** What only the provider can undo: an authorization or a capture. */
type UndoneByProvider = Exclude<PaymentCompensation, UndoneHere>;

/**
 * shipping.failed / order.cancelled → undo whatever the payment reached: a pending
 * payment is cancelled so it is never authorized, an authorization is voided
 * (payment.voided), a capture refunded in full (payment.refunded). Also voids an
 * authorization the provider approved after the order was cancelled.
 */
@CommandHandler(CompensatePaymentCommand)
export class CompensatePaymentHandler implements ICommandHandler<CompensatePaymentCommand> {
  constructor(
    private readonly providerCalls: ProviderCalls,
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  execute({ event, consumer }: CompensatePaymentCommand): Promise<void> {
    return this.providerCalls.undo(event, consumer, this.undoing(event.data.orderId, event));
  }

  /** For the authorize use case, until the authorization it recorded too late is voided. */
  voidLateAuthorization(orderId: string, causedBy: EventEnvelope): Promise<void> {
    return this.providerCalls.undoLateResult(this.undoing(orderId, causedBy));
  }

  private undoing(orderId: string, causedBy: EventEnvelope): ProviderUndo<Payment, UndoneByProvider> {
    return {
      orderId,
      subject: 'payment',
      states: this.payments,
      undoAtProvider: (planned) => this.undoAtProvider(orderId, planned, causedBy),
      cancelledBeforehand: () => Payment.cancelledBeforeOpening({ id: newId(), orderId }),
    };
  }

  private async undoAtProvider(orderId: string, planned: UndoneByProvider, causedBy: EventEnvelope): Promise<(payment: Payment) => EventEnvelope> {
    switch (planned.kind) {
      case 'void': {
        const outcome = await this.provider.void({ orderId, providerAuthorizationId: planned.providerAuthorizationId });
        // The capture won the race; once it is recorded, the redelivered event decides on a refund instead.
        if (outcome.kind === 'already-captured')
          throw new PrecedingEventMissing(`Authorization of order ${orderId} was captured before it could be voided; refunding once the capture is recorded`);
        return (payment) => {
          payment.void();
          return PaymentVoided.create({ orderId, paymentId: payment.id, amount: planned.amount.toJSON() }, { causedBy });
        };
      }
      case 'refund': {
        const { providerRefundId } = await this.provider.refund({ orderId, providerCaptureId: planned.providerCaptureId, amount: planned.amount });
        return (payment) => {
          payment.refund(providerRefundId);
          return PaymentRefunded.create({ orderId, paymentId: payment.id, amount: planned.amount.toJSON() }, { causedBy });
        };
      }
    }
  }
}
