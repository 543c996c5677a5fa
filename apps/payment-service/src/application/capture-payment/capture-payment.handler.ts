import { Injectable } from '@nestjs/common';
import { EventData, EventEnvelope, PaymentCaptured, ShippingScheduled } from '@orders/contracts';
import { MessageTransactions } from '@orders/messaging';
import { PaymentProvider } from '../payment-provider';
import { PaymentRepository } from '../payment.repository';

/** shipping.scheduled → capture the authorized amount (payment.captured). */
@Injectable()
export class CapturePaymentHandler {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  async execute(event: EventEnvelope<EventData<typeof ShippingScheduled>>, consumer: string): Promise<void> {
    const { orderId } = event.data;
    if (await this.transactions.wasProcessed(event, consumer)) return;
    const payment = await this.payments.findByOrder(orderId);
    if (payment?.status === 'CAPTURED') return;
    // Shipping is only scheduled for authorized payments; until ours is committed, retry later.
    if (payment?.status !== 'AUTHORIZED') throw new Error(`No authorized payment for shipped order ${orderId} yet`);

    // Outside the transaction, like authorization; the per-order idempotency key captures once.
    const { providerAuthorizationId, amount } = payment.authorizationToCapture();
    const { providerCaptureId } = await this.provider.capture({ orderId, providerAuthorizationId, amount });

    await this.transactions.processOnce(event, consumer, async (tx) => {
      const current = await this.payments.lockByOrder(tx, orderId);
      // A duplicate of this event, handled concurrently, captured it first.
      if (current?.status !== 'AUTHORIZED') return;
      current.capture(providerCaptureId);
      await this.payments.save(tx, current);
      await tx.publish(PaymentCaptured.create({ orderId, paymentId: current.id, amount: amount.toJSON() }, { causedBy: event }));
    });
  }
}
