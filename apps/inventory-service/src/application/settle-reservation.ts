import { Transaction } from '@orders/persistence';
import { Reservation } from '../domain/reservation';
import { StockItem } from '../domain/stock-item';
import { InventoryRepository } from './inventory.repository';

/** Applies one move of a reservation (commit, release, restock) to the locked stock of its SKUs and stores both. */
export async function settleReservation(
  inventory: InventoryRepository,
  tx: Transaction,
  reservation: Reservation,
  move: (stock: ReadonlyMap<string, StockItem>) => void,
): Promise<void> {
  const stock = await inventory.lockStock(
    tx,
    reservation.lines.map((line) => line.sku),
  );
  move(stock);
  await inventory.saveStock(tx, stock.values());
  await inventory.saveReservation(tx, reservation);
}
