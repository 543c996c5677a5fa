import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, OrderCancelled, OrderPlaced, PaymentCaptured, PaymentFailed, ShippingFailed } from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { CommitReservationHandler } from '../application/commit-reservation/commit-reservation.handler';
import { ReserveStockHandler } from '../application/reserve-stock/reserve-stock.handler';
import { ReturnStockHandler } from '../application/return-stock/return-stock.handler';

@Controller()
export class InventoryEventsController {
  constructor(
    private readonly reserveStock: ReserveStockHandler,
    private readonly commitReservation: CommitReservationHandler,
    private readonly returnStock: ReturnStockHandler,
  ) {}

  @OnEvent(OrderPlaced)
  onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.reserveStock.execute(event, context.consumer);
  }

  @OnEvent(PaymentCaptured)
  onPaymentCaptured(@Payload() event: EnvelopeOf<typeof PaymentCaptured>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commitReservation.execute(event, context.consumer);
  }

  @OnEvent(PaymentFailed, { lane: 'compensation' })
  onPaymentFailed(@Payload() event: EnvelopeOf<typeof PaymentFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.returnStock.execute(event, context.consumer, 'saga-failed');
  }

  @OnEvent(ShippingFailed, { lane: 'compensation' })
  onShippingFailed(@Payload() event: EnvelopeOf<typeof ShippingFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.returnStock.execute(event, context.consumer, 'saga-failed');
  }

  @OnEvent(OrderCancelled, { lane: 'compensation' })
  onOrderCancelled(@Payload() event: EnvelopeOf<typeof OrderCancelled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.returnStock.execute(event, context.consumer, 'order-cancelled');
  }
}
