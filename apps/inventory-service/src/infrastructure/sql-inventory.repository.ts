import { Injectable } from '@nestjs/common';
import { Transaction } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { DataSource } from 'typeorm';
import { InventoryRepository } from '../application/inventory.repository';
import { Reservation } from '../domain/reservation';
import { StockAdjustment } from '../domain/stock-adjustment';
import { StockItem } from '../domain/stock-item';
import { ProductRow } from './product-row';
import { ReservationLineRecord, ReservationRow } from './reservation-row';

/**
 * Stock and reservations in plain SQL, on the saga's hot path: each method is one statement, so
 * the stock of all lines of an order is locked in one and written back in one, whatever the
 * number of lines.
 */
@Injectable()
export class SqlInventoryRepository extends InventoryRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async lockStock(tx: Transaction, skus: readonly string[]): Promise<Map<string, StockItem>> {
    // In SKU order, the order every transaction locks stock in, so that none can deadlock with another.
    const rows = await tx.query<ProductRow>(`SELECT * FROM products WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`, [[...new Set(skus)]]);
    return new Map(rows.map((row) => [row.sku, toStockItem(row)]));
  }

  async saveStock(tx: Transaction, items: Iterable<StockItem>): Promise<void> {
    const stock = [...items];
    if (stock.length === 0) return;
    await tx.write(
      `UPDATE products p SET available = v.available, reserved = v.reserved, committed = v.committed
       FROM unnest($1::text[], $2::int[], $3::int[], $4::int[]) AS v(sku, available, reserved, committed)
       WHERE p.sku = v.sku`,
      [stock.map((item) => item.sku), stock.map((item) => item.available), stock.map((item) => item.reserved), stock.map((item) => item.committed)],
    );
  }

  async saveAdjustment(tx: Transaction, adjustment: StockAdjustment): Promise<void> {
    await tx.write(`INSERT INTO stock_adjustments (id, sku, previous_available, available, adjusted_by, adjusted_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      adjustment.id,
      adjustment.sku,
      adjustment.previousAvailable,
      adjustment.available,
      adjustment.adjustedBy,
      adjustment.adjustedAt,
    ]);
  }

  async findReservationByOrder(tx: Transaction, orderId: string, options = { lock: false }): Promise<Reservation | null> {
    const rows = await tx.query<ReservationRow>(`SELECT * FROM reservations WHERE order_id = $1${options.lock ? ' FOR UPDATE' : ''}`, [orderId]);
    return rows.length > 0 ? toReservation(rows[0]) : null;
  }

  async saveReservation(tx: Transaction, reservation: Reservation): Promise<void> {
    // Conflicts on the id only: a second reservation for the same order fails on the unique order id.
    const lines: ReservationLineRecord[] = reservation.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice.toJSON() }));
    await tx.write(
      `INSERT INTO reservations (id, order_id, status, lines, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET order_id = EXCLUDED.order_id, status = EXCLUDED.status, lines = EXCLUDED.lines, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at`,
      [reservation.id, reservation.orderId, reservation.status, JSON.stringify(lines), reservation.expiresAt, new Date()],
    );
  }

  async lockExpiredReservations(tx: Transaction, now: Date, limit: number): Promise<Reservation[]> {
    // SKIP LOCKED: replicas sweeping at the same time take different reservations instead of waiting for each other.
    const rows = await tx.query<ReservationRow>(`SELECT * FROM reservations WHERE status = 'RESERVED' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`, [
      now,
      limit,
    ]);
    return rows.map(toReservation);
  }

  async listProducts(skus?: readonly string[]): Promise<StockItem[]> {
    const rows: ProductRow[] = skus
      ? await this.dataSource.query(`SELECT * FROM products WHERE sku = ANY($1::text[]) ORDER BY sku`, [[...skus]])
      : await this.dataSource.query(`SELECT * FROM products ORDER BY sku`);
    return rows.map(toStockItem);
  }
}

function toStockItem(row: ProductRow): StockItem {
  return new StockItem(row.sku, row.name, Money.of(row.price_amount, row.currency), row.available, row.reserved, row.committed);
}

function toReservation(row: ReservationRow): Reservation {
  return Reservation.restore({
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    expiresAt: row.expires_at,
    lines: row.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: Money.of(line.unitPrice.amount, line.unitPrice.currency) })),
  });
}
