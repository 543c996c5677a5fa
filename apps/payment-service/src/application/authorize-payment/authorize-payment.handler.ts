import { Injectable } from '@nestjs/common';
import { EventData, EventEnvelope, InventoryReserved, PaymentAuthorized, PaymentFailed } from '@orders/contracts';
import { MessageTransactions } from '@orders/messaging';
import { Money } from '@orders/shared-kernel';
import { PaymentProvider } from '../payment-provider';
import { PaymentRepository } from '../payment.repository';

/** inventory.reserved → authorize the order total (payment.authorized) or record the decline (payment.failed). */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  async execute(event: EventEnvelope<EventData<typeof InventoryReserved>>, consumer: string): Promise<void> {
    const { orderId } = event.data;
    if (await this.transactions.wasProcessed(event, consumer)) return;
    const payment = await this.payments.findByOrder(orderId);
    // order.placed has not been handled yet; throwing gets this event redelivered after it.
    if (!payment) throw new Error(`No payment for reserved order ${orderId} yet`);
    if (payment.status !== 'PENDING') return;

    // The provider is called outside the transaction so no connection is held while it answers;
    // its per-order idempotency key makes a repeated call return the first outcome.
    const amount = Money.of(event.data.total.amount, event.data.total.currency);
    const outcome = await this.provider.authorize({ orderId, amount, token: payment.token });

    await this.transactions.processOnce(event, consumer, async (tx) => {
      const current = await this.payments.lockByOrder(tx, orderId);
      // A duplicate of this event, handled concurrently, settled the payment first.
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
  }
}
