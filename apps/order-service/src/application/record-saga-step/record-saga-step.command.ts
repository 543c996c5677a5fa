import { Command } from '@nestjs/cqrs';
import { EventEnvelope, MoneyDto } from '@orders/contracts';

/** The fields of the participants' events about an order that the order and its read model take in. */
export interface SagaEventData {
  orderId: string;
  /** Why it failed or was released: it decides what some events mean (docs/saga.md). */
  reason?: string;
  /** The reservation's total. */
  total?: MoneyDto;
  /** What was authorized, captured, voided or refunded. */
  amount?: MoneyDto;
  trackingNumber?: string;
}

export class RecordSagaStepCommand extends Command<void> {
  constructor(
    /** The event that reported the step: its id makes processing idempotent, its `occurredAt` dates the step. */
    readonly event: EventEnvelope<SagaEventData>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
  ) {
    super();
  }
}
