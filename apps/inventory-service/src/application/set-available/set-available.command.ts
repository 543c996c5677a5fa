import { Command } from '@nestjs/cqrs';
import { StockLevelDto } from '@orders/contracts';

/** An operator's count of the units of a SKU that can still be sold; answers the stock, or null for an unknown SKU. */
export class SetAvailableCommand extends Command<StockLevelDto | null> {
  constructor(
    readonly sku: string,
    readonly available: number,
    /** The operator's user id, as the caller token proves it. */
    readonly operator: string,
    /** The request that asked for it, carried on to the event. */
    readonly correlationId: string,
  ) {
    super();
  }
}
