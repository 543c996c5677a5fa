import { Injectable } from '@nestjs/common';
import { Transaction } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { OrderRepository } from '../application/order.repository';
import { Order, SagaProgress } from '../domain/order';
import { OrderEntity } from './order.entity';
import { insertOrderView, updateOrderView } from './typeorm-order-views';

/** Writes the order's read model row (`order_views`) in the same transaction as the order. */
@Injectable()
export class TypeOrmOrderRepository extends OrderRepository {
  async insert(tx: Transaction, order: Order): Promise<void> {
    await tx.manager.insert(OrderEntity, toRow(order));
    await insertOrderView(tx, order);
  }

  async save(tx: Transaction, order: Order): Promise<void> {
    const { id, customerId: _customerId, createdAt: _createdAt, items: _items, shippingAddress: _address, paymentToken: _token, ...changes } = toRow(order);
    await tx.manager.update(OrderEntity, { id }, changes);
    await updateOrderView(tx, order);
  }

  async lock(tx: Transaction, id: string): Promise<Order | null> {
    const row = await tx.manager.findOne(OrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    return row ? toOrder(row) : null;
  }

  async lockPendingPlacedBefore(tx: Transaction, placedBefore: Date, limit: number): Promise<Order[]> {
    const rows = await tx.manager
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .where(`o.status = 'PENDING' AND o.created_at < :placedBefore`, { placedBefore })
      .orderBy('o.created_at')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return rows.map(toOrder);
  }
}

function toRow(order: Order): OrderEntity {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    items: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    shippingAddress: { ...order.shippingAddress },
    paymentToken: order.paymentToken,
    totalAmount: order.total?.amount ?? null,
    totalCurrency: order.total?.currency ?? null,
    cancellationReason: order.cancellationReason,
    timeline: order.timeline.map((entry) => ({ type: entry.type, at: entry.at.toISOString() })),
    ...progressColumns(order.progress),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

function toOrder(row: OrderEntity): Order {
  return Order.restore({
    id: row.id,
    customerId: row.customerId,
    items: row.items,
    shippingAddress: row.shippingAddress,
    paymentToken: row.paymentToken,
    status: row.status,
    total: row.totalAmount === null || row.totalCurrency === null ? null : Money.of(row.totalAmount, row.totalCurrency),
    cancellationReason: row.cancellationReason,
    timeline: row.timeline.map((entry) => ({ type: entry.type, at: new Date(entry.at) })),
    progress: {
      INVENTORY_RESERVED: row.reserved,
      PAYMENT_AUTHORIZED: row.authorized,
      SHIPMENT_SCHEDULED: row.scheduled,
      PAYMENT_CAPTURED: row.captured,
      INVENTORY_COMMITTED: row.committed,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}

/** The progress columns keep the short names they were created with; each says whether the order took that saga step. */
function progressColumns(progress: SagaProgress): Pick<OrderEntity, 'reserved' | 'authorized' | 'scheduled' | 'captured' | 'committed'> {
  return {
    reserved: progress.INVENTORY_RESERVED,
    authorized: progress.PAYMENT_AUTHORIZED,
    scheduled: progress.SHIPMENT_SCHEDULED,
    captured: progress.PAYMENT_CAPTURED,
    committed: progress.INVENTORY_COMMITTED,
  };
}
