import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  EventEnvelope,
  InventoryCommitted,
  InventoryRejected,
  InventoryReleased,
  InventoryReserved,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentFailed,
  PaymentRefunded,
  PaymentVoided,
  ShippingCancelled,
  ShippingFailed,
  ShippingScheduled,
} from '@orders/contracts';
import { JetStreamContext, OnEvent } from '@orders/messaging';
import { RecordSagaStepCommand, SagaEventData } from '../application/record-saga-step/record-saga-step.command';

/**
 * The saga events that move an order forward or cancel it, and the compensations recorded on its timeline.
 * Each is handed over as it is: what it means to the order is the application's to look up.
 */
@Controller()
export class OrderEventsController {
  constructor(private readonly commands: CommandBus) {}

  @OnEvent(InventoryReserved)
  onInventoryReserved(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(InventoryRejected)
  onInventoryRejected(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(PaymentAuthorized)
  onPaymentAuthorized(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(PaymentFailed)
  onPaymentFailed(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(ShippingScheduled)
  onShippingScheduled(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(ShippingFailed)
  onShippingFailed(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(PaymentCaptured)
  onPaymentCaptured(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(InventoryCommitted)
  onInventoryCommitted(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(InventoryReleased)
  onInventoryReleased(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(PaymentVoided)
  onPaymentVoided(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(PaymentRefunded)
  onPaymentRefunded(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  @OnEvent(ShippingCancelled)
  onShippingCancelled(@Payload() event: EventEnvelope<SagaEventData>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context);
  }

  private record(event: EventEnvelope<SagaEventData>, context: JetStreamContext): Promise<void> {
    return this.commands.execute(new RecordSagaStepCommand(event, context.consumer));
  }
}
