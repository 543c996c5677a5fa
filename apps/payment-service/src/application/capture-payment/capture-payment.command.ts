import { Command } from '@nestjs/cqrs';
import { EventData, EventEnvelope, ShippingScheduled } from '@orders/contracts';

export class CapturePaymentCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<EventData<typeof ShippingScheduled>>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
  ) {
    super();
  }
}
