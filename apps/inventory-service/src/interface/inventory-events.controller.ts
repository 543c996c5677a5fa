import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, OrderCancelled, OrderPlaced, PaymentCaptured, PaymentFailed, ShippingFailed } from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { CommitReservationCommand } from '../application/commit-reservation/commit-reservation.command';
import { ReserveStockCommand } from '../application/reserve-stock/reserve-stock.command';
import { ReturnStockCommand } from '../application/return-stock/return-stock.command';

@Controller()
export class InventoryEventsController {
  constructor(private readonly commands: CommandBus) {}

  @OnEvent(OrderPlaced)
  onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new ReserveStockCommand(event, context.consumer));
  }

  @OnEvent(PaymentCaptured)
  onPaymentCaptured(@Payload() event: EnvelopeOf<typeof PaymentCaptured>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new CommitReservationCommand(event, context.consumer));
  }

  @OnEvent(PaymentFailed, { lane: 'compensation' })
  onPaymentFailed(@Payload() event: EnvelopeOf<typeof PaymentFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new ReturnStockCommand(event, context.consumer, 'saga-failed'));
  }

  @OnEvent(ShippingFailed, { lane: 'compensation' })
  onShippingFailed(@Payload() event: EnvelopeOf<typeof ShippingFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new ReturnStockCommand(event, context.consumer, 'saga-failed'));
  }

  @OnEvent(OrderCancelled, { lane: 'compensation' })
  onOrderCancelled(@Payload() event: EnvelopeOf<typeof OrderCancelled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new ReturnStockCommand(event, context.consumer, 'order-cancelled'));
  }
}
