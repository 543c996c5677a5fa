import { Command } from '@nestjs/cqrs';
import { EventEnvelope } from '@orders/contracts';
import { ParticipantFact } from '../order-views';
import { SagaStepReport } from './record-saga-step.dto';

export class RecordSagaStepCommand extends Command<void> {
  constructor(
    /** The event that reported the step: its id makes processing idempotent, its `occurredAt` dates the step. */
    readonly event: EventEnvelope<{ orderId: string }>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
    readonly report: SagaStepReport,
    /** What the event tells about the payment or shipment, for the order's read model. */
    readonly fact?: ParticipantFact,
  ) {
    super();
  }
}
