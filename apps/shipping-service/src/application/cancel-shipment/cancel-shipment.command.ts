import { Command } from '@nestjs/cqrs';
import { EventData, EventEnvelope, OrderCancelled } from '@orders/contracts';

export class CancelShipmentCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<EventData<typeof OrderCancelled>>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
  ) {
    super();
  }
}
