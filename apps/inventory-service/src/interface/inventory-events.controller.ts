import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, OrderPlaced, PaymentCaptured } from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { CommitReservationHandler } from '../application/commit-reservation/commit-reservation.handler';
import { ReserveStockHandler } from '../application/reserve-stock/reserve-stock.handler';

@Controller()
export class InventoryEventsController {
  constructor(
    private readonly reserveStock: ReserveStockHandler,
    private readonly commitReservation: CommitReservationHandler,
  ) {}

  @OnEvent(OrderPlaced)
  onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.reserveStock.execute(event, context.consumer);
  }

  @OnEvent(PaymentCaptured)
  onPaymentCaptured(@Payload() event: EnvelopeOf<typeof PaymentCaptured>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commitReservation.execute(event, context.consumer);
  }
}
