import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, OrderCancelled, OrderPlaced, PaymentAuthorized } from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { BookShipmentHandler } from '../application/book-shipment/book-shipment.handler';
import { CancelShipmentHandler } from '../application/cancel-shipment/cancel-shipment.handler';
import { RequestShipmentHandler } from '../application/request-shipment/request-shipment.handler';

@Controller()
export class ShippingEventsController {
  constructor(
    private readonly requestShipment: RequestShipmentHandler,
    private readonly bookShipment: BookShipmentHandler,
    private readonly cancelShipment: CancelShipmentHandler,
  ) {}

  @OnEvent(OrderPlaced)
  onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.requestShipment.execute(event, context.consumer);
  }

  @OnEvent(PaymentAuthorized)
  onPaymentAuthorized(@Payload() event: EnvelopeOf<typeof PaymentAuthorized>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.bookShipment.execute(event, context.consumer, context.isRetry);
  }

  @OnEvent(OrderCancelled, { lane: 'compensation' })
  onOrderCancelled(@Payload() event: EnvelopeOf<typeof OrderCancelled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.cancelShipment.execute(event, context.consumer);
  }
}
