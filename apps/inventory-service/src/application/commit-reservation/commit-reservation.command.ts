import { Command } from '@nestjs/cqrs';
import { EventData, EventEnvelope, PaymentCaptured } from '@orders/contracts';

export class CommitReservationCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<EventData<typeof PaymentCaptured>>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
  ) {
    super();
  }
}
