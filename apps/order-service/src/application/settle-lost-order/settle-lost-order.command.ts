import { Command } from '@nestjs/cqrs';
import { EventEnvelope } from '@orders/contracts';

/** The field of a participant's event about an order that tells which order it is about. */
export interface LostOrderEventData {
  orderId: string;
}

/** A participant's event about an order that the order database does not have. */
export class SettleLostOrderCommand extends Command<void> {
  constructor(
    /** The event: its `occurredAt` tells how long the order has been missing, its correlation id follows the settlement. */
    readonly event: EventEnvelope<LostOrderEventData>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
  ) {
    super();
  }
}
