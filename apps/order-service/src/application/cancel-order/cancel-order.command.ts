import { Command } from '@nestjs/cqrs';
import { CancelledOrderDto } from '@orders/contracts';

/**
 * The customer cancels one of their orders; null when it does not exist or belongs to
 * someone else. Throws OrderAlreadyCancelledError when the saga cancelled it for another reason.
 */
export class CancelOrderCommand extends Command<CancelledOrderDto | null> {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    /** Carried by `order.cancelled` and the compensations it sets off. */
    readonly correlationId: string,
  ) {
    super();
  }
}
