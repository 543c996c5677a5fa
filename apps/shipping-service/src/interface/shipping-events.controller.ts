import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import { EnvelopeOf, OrderCancelled, OrderPlaced, PaymentAuthorized } from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { ScheduleShipmentCommand } from '../application/schedule-shipment/schedule-shipment.command';
import { CancelShipmentCommand } from '../application/cancel-shipment/cancel-shipment.command';
import { RequestShipmentCommand } from '../application/request-shipment/request-shipment.command';

@Controller()
export class ShippingEventsController {
  constructor(private readonly commands: CommandBus) {}

  @OnEvent(OrderPlaced)
  onOrderPlaced(@Payload() event: EnvelopeOf<typeof OrderPlaced>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new RequestShipmentCommand(event, context.consumer));
  }

  @OnEvent(PaymentAuthorized)
  onPaymentAuthorized(@Payload() event: EnvelopeOf<typeof PaymentAuthorized>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new ScheduleShipmentCommand(event, context.consumer, context.isRetry));
  }

  @OnEvent(OrderCancelled, { lane: 'compensation' })
  onOrderCancelled(@Payload() event: EnvelopeOf<typeof OrderCancelled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.commands.execute(new CancelShipmentCommand(event, context.consumer));
  }
}
