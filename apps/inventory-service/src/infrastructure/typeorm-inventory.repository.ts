import { Injectable } from '@nestjs/common';
import { Transaction } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { DataSource, In } from 'typeorm';
import { InventoryRepository } from '../application/inventory.repository';
import { Reservation } from '../domain/reservation';
import { StockAdjustment } from '../domain/stock-adjustment';
import { StockItem } from '../domain/stock-item';
import { ProductEntity } from './product.entity';
import { ReservationEntity } from './reservation.entity';
import { StockAdjustmentEntity } from './stock-adjustment.entity';

@Injectable()
export class TypeOrmInventoryRepository extends InventoryRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async lockStock(tx: Transaction, skus: readonly string[]): Promise<Map<string, StockItem>> {
    const rows = await tx.manager
      .getRepository(ProductEntity)
      .createQueryBuilder('product')
      .where('product.sku IN (:...skus)', { skus: [...new Set(skus)] })
      .orderBy('product.sku')
      .setLock('pessimistic_write')
      .getMany();
    return new Map(rows.map((row) => [row.sku, toStockItem(row)]));
  }

  async saveStock(tx: Transaction, items: Iterable<StockItem>): Promise<void> {
    for (const item of items) {
      await tx.manager.update(ProductEntity, { sku: item.sku }, { available: item.available, reserved: item.reserved, committed: item.committed });
    }
  }

  async saveAdjustment(tx: Transaction, adjustment: StockAdjustment): Promise<void> {
    await tx.manager.insert(StockAdjustmentEntity, adjustment);
  }

  async findReservationByOrder(tx: Transaction, orderId: string, options = { lock: false }): Promise<Reservation | null> {
    const row = await tx.manager.findOne(ReservationEntity, { where: { orderId }, lock: options.lock ? { mode: 'pessimistic_write' } : undefined });
    return row ? toReservation(row) : null;
  }

  async saveReservation(tx: Transaction, reservation: Reservation): Promise<void> {
    await tx.manager.upsert(
      ReservationEntity,
      {
        id: reservation.id,
        orderId: reservation.orderId,
        status: reservation.status,
        lines: reservation.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice.toJSON() })),
        expiresAt: reservation.expiresAt,
        updatedAt: new Date(),
      },
      ['id'],
    );
  }

  async lockExpiredReservations(tx: Transaction, now: Date, limit: number): Promise<Reservation[]> {
    const rows = await tx.manager
      .getRepository(ReservationEntity)
      .createQueryBuilder('reservation')
      .where(`reservation.status = 'RESERVED' AND reservation.expires_at <= :now`, { now })
      .orderBy('reservation.expires_at')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return rows.map(toReservation);
  }

  async listProducts(skus?: readonly string[]): Promise<StockItem[]> {
    const rows = await this.dataSource.getRepository(ProductEntity).find({ where: skus ? { sku: In([...skus]) } : {}, order: { sku: 'ASC' } });
    return rows.map(toStockItem);
  }
}

function toStockItem(row: ProductEntity): StockItem {
  return new StockItem(row.sku, row.name, Money.of(row.priceAmount, row.currency), row.available, row.reserved, row.committed);
}

function toReservation(row: ReservationEntity): Reservation {
  return Reservation.restore({
    id: row.id,
    orderId: row.orderId,
    status: row.status,
    expiresAt: row.expiresAt,
    lines: row.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: Money.of(line.unitPrice.amount, line.unitPrice.currency) })),
  });
}
