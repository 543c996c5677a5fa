import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  EnvelopeOf,
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
import { ParticipantFact } from '../application/order-views';
import { RecordSagaStepCommand } from '../application/record-saga-step/record-saga-step.command';
import { SagaStepReport } from '../application/record-saga-step/record-saga-step.dto';

/** The saga events that move an order forward or cancel it, and the compensations recorded on its timeline. */
@Controller()
export class OrderEventsController {
  constructor(private readonly commands: CommandBus) {}

  @OnEvent(InventoryReserved)
  onInventoryReserved(@Payload() event: EnvelopeOf<typeof InventoryReserved>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'reserved', total: event.data.total });
  }

  @OnEvent(InventoryRejected)
  onInventoryRejected(@Payload() event: EnvelopeOf<typeof InventoryRejected>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'cancel', reason: 'OUT_OF_STOCK' });
  }

  @OnEvent(PaymentAuthorized)
  onPaymentAuthorized(@Payload() event: EnvelopeOf<typeof PaymentAuthorized>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'authorized' }, { payment: 'AUTHORIZED', amount: event.data.amount });
  }

  @OnEvent(PaymentFailed)
  onPaymentFailed(@Payload() event: EnvelopeOf<typeof PaymentFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'cancel', reason: 'PAYMENT_DECLINED' }, { payment: 'FAILED' });
  }

  @OnEvent(ShippingScheduled)
  onShippingScheduled(@Payload() event: EnvelopeOf<typeof ShippingScheduled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'scheduled' }, { shipment: 'SCHEDULED', trackingNumber: event.data.trackingNumber });
  }

  /** An address the carrier refused is the customer's to correct; anything else the carrier would not take, no address would fix. */
  @OnEvent(ShippingFailed)
  onShippingFailed(@Payload() event: EnvelopeOf<typeof ShippingFailed>, @Ctx() context: JetStreamContext): Promise<void> {
    const reason = event.data.reason === 'ADDRESS_REJECTED' ? 'ADDRESS_REJECTED' : 'SHIPPING_UNAVAILABLE';
    return this.record(event, context, { step: 'cancel', reason }, { shipment: 'FAILED' });
  }

  @OnEvent(PaymentCaptured)
  onPaymentCaptured(@Payload() event: EnvelopeOf<typeof PaymentCaptured>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'captured' }, { payment: 'CAPTURED', amount: event.data.amount });
  }

  @OnEvent(InventoryCommitted)
  onInventoryCommitted(@Payload() event: EnvelopeOf<typeof InventoryCommitted>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'committed' });
  }

  /** An expired reservation means the saga missed its deadline; other releases undo a step of a failed or cancelled order. */
  @OnEvent(InventoryReleased)
  onInventoryReleased(@Payload() event: EnvelopeOf<typeof InventoryReleased>, @Ctx() context: JetStreamContext): Promise<void> {
    const { reason } = event.data;
    if (reason === 'EXPIRED') return this.record(event, context, { step: 'cancel', reason: 'TIMED_OUT' });
    return this.record(event, context, { step: 'compensated', fact: reason === 'RESTOCKED' ? 'INVENTORY_RESTOCKED' : 'INVENTORY_RELEASED' });
  }

  @OnEvent(PaymentVoided)
  onPaymentVoided(@Payload() event: EnvelopeOf<typeof PaymentVoided>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'compensated', fact: 'PAYMENT_VOIDED' }, { payment: 'VOIDED', amount: event.data.amount });
  }

  @OnEvent(PaymentRefunded)
  onPaymentRefunded(@Payload() event: EnvelopeOf<typeof PaymentRefunded>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'compensated', fact: 'PAYMENT_REFUNDED' }, { payment: 'REFUNDED', amount: event.data.amount });
  }

  @OnEvent(ShippingCancelled)
  onShippingCancelled(@Payload() event: EnvelopeOf<typeof ShippingCancelled>, @Ctx() context: JetStreamContext): Promise<void> {
    return this.record(event, context, { step: 'compensated', fact: 'SHIPMENT_CANCELLED' }, { shipment: 'CANCELLED' });
  }

  private record(event: EventEnvelope<{ orderId: string }>, context: JetStreamContext, report: SagaStepReport, fact?: ParticipantFact): Promise<void> {
    return this.commands.execute(new RecordSagaStepCommand(event, context.consumer, report, fact));
  }
}
