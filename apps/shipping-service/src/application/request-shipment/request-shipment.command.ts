import { Command } from '@nestjs/cqrs';
import { EventData, EventEnvelope, OrderPlaced } from '@orders/contracts';

export class RequestShipmentCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<EventData<typeof OrderPlaced>>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
  ) {
    super();
  }
}
