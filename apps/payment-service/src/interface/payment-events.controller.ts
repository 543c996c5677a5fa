import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, InventoryReserved, OrderCancelled, OrderPlaced, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { AuthorizePaymentCommand } from '../application/authorize-payment/authorize-payment.command';
import { CapturePaymentCommand } from '../application/capture-payment/capture-payment.command';
import { CompensatePaymentCommand } from '../application/compensate-payment/compensate-payment.command';
import { OpenPaymentCommand } from '../application/open-payment/open-payment.command';

@Controller()
export class PaymentEventsController {
  constructor(private readonly commands: CommandBus) {}

  @OnEvent(OrderPlaced)
  onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new OpenPaymentCommand(event, context.consumer));
  }

  @OnEvent(InventoryReserved)
  onInventoryReserved(@Payload() event: EnvelopeOf<typeof InventoryReserved>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new AuthorizePaymentCommand(event, context.consumer, context.isRetry));
  }

  @OnEvent(ShippingScheduled)
  onShippingScheduled(@Payload() event: EnvelopeOf<typeof ShippingScheduled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new CapturePaymentCommand(event, context.consumer));
  }

  @OnEvent(ShippingFailed, { lane: 'compensation' })
  onShippingFailed(@Payload() event: EnvelopeOf<typeof ShippingFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new CompensatePaymentCommand(event, context.consumer));
  }

  @OnEvent(OrderCancelled, { lane: 'compensation' })
  onOrderCancelled(@Payload() event: EnvelopeOf<typeof OrderCancelled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new CompensatePaymentCommand(event, context.consumer));
  }
}
