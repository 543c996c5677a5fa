import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventEnvelope, PaymentRefunded, PaymentVoided } from '@orders/contracts';
import { MessageTransactions, PrecedingEventMissing, Transaction } from '@orders/messaging';
import { newId } from '@orders/shared-kernel';
import { Payment, PaymentCompensation } from '../../domain/payment';
import { PaymentProvider } from '../payment-provider';
import { PaymentRepository } from '../payment.repository';
import { CompensatePaymentCommand } from './compensate-payment.command';

/** Commits what the compensation recorded: together with the inbox row of the event that asked for it, or on its own. */
type Commit = (work: (tx: Transaction) => Promise<void>) => Promise<unknown>;

/** Records, on the locked payment, what was undone at the provider; returns the event telling the saga, if any. */
type RecordUndone = (payment: Payment) => EventEnvelope | undefined;

/**
 * shipping.failed / order.cancelled → undo whatever the payment reached: a pending
 * payment is cancelled so it is never authorized, an authorization is voided
 * (payment.voided), a capture refunded in full (payment.refunded). Also voids an
 * authorization the provider approved after the order was cancelled.
 */
@CommandHandler(CompensatePaymentCommand)
export class CompensatePaymentHandler implements ICommandHandler<CompensatePaymentCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  async execute({ event, consumer }: CompensatePaymentCommand): Promise<void> {
    if (await this.transactions.wasProcessed(event, consumer)) return;
    await this.compensate(event.data.orderId, event, (work) => this.transactions.processOnce(event, consumer, work));
  }

  /**
   * For the authorize use case, which already marked its event processed when it
   * recorded the late authorization; it calls this again on every redelivery until
   * the payment is voided.
   */
  voidLateAuthorization(orderId: string, causedBy: EventEnvelope): Promise<void> {
    return this.compensate(orderId, causedBy, (work) => this.transactions.run(work));
  }

  /**
   * Decides on the committed state, undoes at the provider outside any transaction
   * (every call is idempotent per order, so a redelivery repeats none of it), then
   * records the result only if the locked payment still needs that same compensation.
   */
  private async compensate(orderId: string, causedBy: EventEnvelope, commit: Commit): Promise<void> {
    const payment = await this.payments.findByOrder(orderId);
    // No payment yet: order.placed has not been handled here, and must then open nothing.
    const planned: PaymentCompensation = payment?.compensation() ?? { kind: 'cancel' };
    const recordUndone = await this.undoAtProvider(orderId, planned, causedBy);

    await commit(async (tx) => {
      const current = await this.payments.lockByOrder(tx, orderId);
      if (!current) {
        await this.payments.save(tx, Payment.cancelledBeforeOpening({ id: newId(), orderId }));
        return;
      }
      const needed = current.compensation().kind;
      // Compensated already, by a duplicate or by the other compensating event handled concurrently.
      if (needed === 'none') return;
      // E.g. authorized or captured since it was read: what was undone no longer covers it, so the redelivery decides again.
      if (needed !== planned.kind) throw new Error(`Payment of order ${orderId} became ${current.status} while being compensated; deciding again`);
      const event = recordUndone(current);
      await this.payments.save(tx, current);
      if (event) await tx.publish(event);
    });
  }

  private async undoAtProvider(orderId: string, planned: PaymentCompensation, causedBy: EventEnvelope): Promise<RecordUndone> {
    switch (planned.kind) {
      case 'none':
        return () => undefined;
      case 'cancel':
        return (payment) => {
          payment.cancel();
          return undefined;
        };
      case 'void': {
        const outcome = await this.provider.void({ orderId, providerAuthorizationId: planned.providerAuthorizationId });
        // The capture won the race; once it is recorded, the redelivered event decides on a refund instead.
        if (outcome.kind === 'already-captured') throw new PrecedingEventMissing(`Authorization of order ${orderId} was captured before it could be voided; refunding once the capture is recorded`);
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
