import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InventoryStockAdjusted, StockLevelDto } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Clock, newId } from '@orders/shared-kernel';
import { InventoryRepository } from '../inventory.repository';
import { SetAvailableCommand } from './set-available.command';

/**
 * Sets how many units of a SKU can still be sold. A change is saved with its adjustment record
 * and `inventory.stock-adjusted` in one transaction; the count the SKU already has changes,
 * records and publishes nothing, so repeating the command is harmless. The row lock orders it
 * with concurrent reservations, which take from the count it leaves.
 */
@CommandHandler(SetAvailableCommand)
export class SetAvailableHandler implements ICommandHandler<SetAvailableCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly inventory: InventoryRepository,
    private readonly clock: Clock,
  ) {}

  execute({ sku, available, operator, correlationId }: SetAvailableCommand): Promise<StockLevelDto | null> {
    return this.transactions.run(async (tx) => {
      const item = (await this.inventory.lockStock(tx, [sku])).get(sku);
      if (!item) return null;
      const adjustment = item.adjustAvailable({ id: newId(), available, adjustedBy: operator, adjustedAt: this.clock.now() });
      if (adjustment) {
        await this.inventory.saveStock(tx, [item]);
        await this.inventory.saveAdjustment(tx, adjustment);
        await tx.publish(
          InventoryStockAdjusted.create({ adjustmentId: adjustment.id, sku, previousAvailable: adjustment.previousAvailable, available, adjustedBy: operator }, { correlationId }),
        );
      }
      return { sku, available: item.available, reserved: item.reserved, committed: item.committed };
    });
  }
}
