import { Command } from '@nestjs/cqrs';
import { EventData, EventEnvelope, PaymentAuthorized } from '@orders/contracts';

export class ScheduleShipmentCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<EventData<typeof PaymentAuthorized>>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
    /** An earlier delivery of the event may have asked the carrier already. */
    readonly isRetry: boolean,
  ) {
    super();
  }
}
