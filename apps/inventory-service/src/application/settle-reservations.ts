import { Transaction } from '@orders/persistence';
import { Reservation } from '../domain/reservation';
import { StockItem } from '../domain/stock-item';
import { InventoryRepository } from './inventory.repository';

/**
 * Applies one move (commit, release, restock) to each reservation and to the stock of their SKUs,
 * and stores both. The stock of all of them is locked at once: locked reservation by reservation,
 * a transaction would hold one SKU while it waits for another, and deadlock with any transaction
 * holding that other SKU and waiting for the first.
 */
export async function settleReservations(
  inventory: InventoryRepository,
  tx: Transaction,
  reservations: readonly Reservation[],
  move: (reservation: Reservation, stock: ReadonlyMap<string, StockItem>) => void,
): Promise<void> {
  if (reservations.length === 0) return;
  const stock = await inventory.lockStock(
    tx,
    reservations.flatMap((reservation) => reservation.lines.map((line) => line.sku)),
  );
  for (const reservation of reservations) move(reservation, stock);
  await inventory.saveStock(tx, stock.values());
  for (const reservation of reservations) await inventory.saveReservation(tx, reservation);
}
