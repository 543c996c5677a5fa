import { Command } from '@nestjs/cqrs';
import { EventEnvelope } from '@orders/contracts';

export class CompensatePaymentCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<{ orderId: string }>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
  ) {
    super();
  }
}
