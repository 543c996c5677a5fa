import { Command } from '@nestjs/cqrs';
import { EventEnvelope } from '@orders/contracts';

/**
 * Why the order's units go back on sale: its saga failed (payment.failed,
 * shipping.failed), or it was cancelled (order.cancelled), which alone may undo a
 * sale, since order-service never cancels a confirmed order for a failed step.
 */
export type StockReturnTrigger = 'saga-failed' | 'order-cancelled';

export class ReturnStockCommand extends Command<void> {
  constructor(
    readonly event: EventEnvelope<{ orderId: string }>,
    /** The durable consumer that received it (the inbox scope). */
    readonly consumer: string,
    readonly trigger: StockReturnTrigger,
  ) {
    super();
  }
}
