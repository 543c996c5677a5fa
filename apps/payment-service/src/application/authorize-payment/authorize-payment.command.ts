import { Command } from '@nestjs/cqrs';
import { EventData, EventEnvelope, InventoryReserved } from '@orders/contracts';

export class AuthorizePaymentCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<EventData<typeof InventoryReserved>>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
    /** An earlier delivery of the event may have asked the provider already. */
    readonly isRetry: boolean,
  ) {
    super();
  }
}
