import { Command } from '@nestjs/cqrs';
import { PlacedOrderDto, PlaceOrderBody } from '@orders/contracts';

export class PlaceOrderCommand extends Command<PlacedOrderDto> {
  constructor(
    readonly customerId: string,
    readonly idempotencyKey: string,
    readonly body: PlaceOrderBody,
    /** Carried by every event of the order's saga. */
    readonly correlationId: string,
  ) {
    super();
  }
}
