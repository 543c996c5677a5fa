import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, InventoryReserved, OrderCancelled, OrderPlaced, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { AuthorizePaymentHandler } from '../application/authorize-payment/authorize-payment.handler';
import { CapturePaymentHandler } from '../application/capture-payment/capture-payment.handler';
import { CompensatePaymentHandler } from '../application/compensate-payment/compensate-payment.handler';
import { OpenPaymentHandler } from '../application/open-payment/open-payment.handler';

@Controller()
export class PaymentEventsController {
  constructor(
    private readonly openPayment: OpenPaymentHandler,
    private readonly authorizePayment: AuthorizePaymentHandler,
    private readonly capturePayment: CapturePaymentHandler,
    private readonly compensatePayment: CompensatePaymentHandler,
  ) {}

  @OnEvent(OrderPlaced)
  onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.openPayment.execute(event, context.consumer);
  }

  @OnEvent(InventoryReserved)
  onInventoryReserved(@Payload() event: EnvelopeOf<typeof InventoryReserved>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.authorizePayment.execute(event, context.consumer, context.isRetry);
  }

  @OnEvent(ShippingScheduled)
  onShippingScheduled(@Payload() event: EnvelopeOf<typeof ShippingScheduled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.capturePayment.execute(event, context.consumer);
  }

  @OnEvent(ShippingFailed, { lane: 'compensation' })
  onShippingFailed(@Payload() event: EnvelopeOf<typeof ShippingFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.compensatePayment.execute(event, context.consumer);
  }

  @OnEvent(OrderCancelled, { lane: 'compensation' })
  onOrderCancelled(@Payload() event: EnvelopeOf<typeof OrderCancelled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.compensatePayment.execute(event, context.consumer);
  }
}
