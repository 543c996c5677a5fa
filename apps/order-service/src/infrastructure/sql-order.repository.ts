import { Injectable } from '@nestjs/common';
import { Transaction } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { OrderRepository } from '../application/order.repository';
import { Order } from '../domain/order';
import { OrderRow } from './order-row';

/**
 * Orders in plain SQL, on the saga's hot path: each method is one statement, and the order's
 * read model row (`order_views`) is written in the same statement as the order, through a
 * data-modifying CTE.
 */
@Injectable()
export class SqlOrderRepository extends OrderRepository {
  async insert(tx: Transaction, order: Order): Promise<void> {
    await tx.query(
      `WITH placed AS (
         INSERT INTO orders (id, customer_id, items, shipping_address, payment_token, status, total_amount, total_currency, cancellation_reason, timeline,
                             reserved, authorized, scheduled, captured, committed, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17))
       INSERT INTO order_views (order_id, customer_id, items, status, total_amount, total_currency, cancellation_reason, timeline, created_at, updated_at)
       VALUES ($1, $2, $3, $6, $7, $8, $9, $10, $16, $17)`,
      [
        order.id,
        order.customerId,
        JSON.stringify(order.items),
        JSON.stringify(order.shippingAddress),
        order.paymentToken,
        ...changingColumns(order),
        order.createdAt,
        order.updatedAt,
      ],
    );
  }

  async save(tx: Transaction, order: Order): Promise<void> {
    await tx.write(
      `WITH saved AS (
         UPDATE orders SET status = $2, total_amount = $3, total_currency = $4, cancellation_reason = $5, timeline = $6,
                           reserved = $7, authorized = $8, scheduled = $9, captured = $10, committed = $11, updated_at = $12
         WHERE id = $1)
       UPDATE order_views SET status = $2, total_amount = $3, total_currency = $4, cancellation_reason = $5, timeline = $6, updated_at = $12 WHERE order_id = $1`,
      [order.id, ...changingColumns(order), order.updatedAt],
    );
  }

  async lock(tx: Transaction, id: string): Promise<Order | null> {
    const rows = await tx.query<OrderRow>(`SELECT * FROM orders WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length > 0 ? toOrder(rows[0]) : null;
  }

  async lockPendingPlacedBefore(tx: Transaction, placedBefore: Date, limit: number): Promise<Order[]> {
    const rows = await tx.query<OrderRow>(`SELECT * FROM orders WHERE status = 'PENDING' AND created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`, [
      placedBefore,
      limit,
    ]);
    return rows.map(toOrder);
  }
}

/** status, total, cancellation reason, timeline, then the saga progress flags. */
function changingColumns(order: Order): unknown[] {
  const { progress } = order;
  return [
    order.status,
    order.total?.amount ?? null,
    order.total?.currency ?? null,
    order.cancellationReason,
    JSON.stringify(order.timeline.map((entry) => ({ type: entry.type, at: entry.at.toISOString() }))),
    // The progress columns keep the short names they were created with; each says whether the order took that saga step.
    progress.INVENTORY_RESERVED,
    progress.PAYMENT_AUTHORIZED,
    progress.SHIPMENT_SCHEDULED,
    progress.PAYMENT_CAPTURED,
    progress.INVENTORY_COMMITTED,
  ];
}

function toOrder(row: OrderRow): Order {
  return Order.restore({
    id: row.id,
    customerId: row.customer_id,
    items: row.items,
    shippingAddress: row.shipping_address,
    paymentToken: row.payment_token,
    status: row.status,
    total: row.total_amount === null || row.total_currency === null ? null : Money.of(Number(row.total_amount), row.total_currency),
    cancellationReason: row.cancellation_reason,
    timeline: row.timeline.map((entry) => ({ type: entry.type, at: new Date(entry.at) })),
    progress: {
      INVENTORY_RESERVED: row.reserved,
      PAYMENT_AUTHORIZED: row.authorized,
      SHIPMENT_SCHEDULED: row.scheduled,
      PAYMENT_CAPTURED: row.captured,
      INVENTORY_COMMITTED: row.committed,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
