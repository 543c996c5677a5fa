import { Injectable } from '@nestjs/common';
import { OrderView } from '@orders/contracts';
import { DataSource } from 'typeorm';
import { OrderPosition, OrderViewReader } from '../application/order-view-reader';

interface OrderViewRow {
  order_id: string;
  customer_id: string;
  status: OrderView['status'];
  items: OrderView['items'];
  /** bigint: the driver returns it as a string. */
  total_amount: string | null;
  total_currency: string | null;
  cancellation_reason: OrderView['cancellationReason'];
  timeline: OrderView['timeline'];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'order_id, customer_id, status, items, total_amount, total_currency, cancellation_reason, timeline, created_at, updated_at';

@Injectable()
export class SqlOrderViewReader extends OrderViewReader {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async find(orderId: string, customerId: string): Promise<OrderView | null> {
    const rows: OrderViewRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM order_views WHERE order_id = $1 AND customer_id = $2`, [orderId, customerId]);
    return rows.length > 0 ? toDto(rows[0]) : null;
  }

  async findAny(orderId: string): Promise<OrderView | null> {
    const rows: OrderViewRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM order_views WHERE order_id = $1`, [orderId]);
    return rows.length > 0 ? toDto(rows[0]) : null;
  }

  async list(customerId: string, limit: number, after?: OrderPosition): Promise<OrderView[]> {
    const rows: OrderViewRow[] = after
      ? await this.dataSource.query(
          `SELECT ${COLUMNS} FROM order_views WHERE customer_id = $1 AND (created_at, order_id) < ($2, $3) ORDER BY created_at DESC, order_id DESC LIMIT $4`,
          [customerId, after.createdAt, after.id, limit],
        )
      : await this.dataSource.query(`SELECT ${COLUMNS} FROM order_views WHERE customer_id = $1 ORDER BY created_at DESC, order_id DESC LIMIT $2`, [customerId, limit]);
    return rows.map(toDto);
  }

  async listPending(limit: number, after?: OrderPosition): Promise<OrderView[]> {
    const rows: OrderViewRow[] = after
      ? await this.dataSource.query(`SELECT ${COLUMNS} FROM order_views WHERE status = 'PENDING' AND (created_at, order_id) > ($1, $2) ORDER BY created_at, order_id LIMIT $3`, [
          after.createdAt,
          after.id,
          limit,
        ])
      : await this.dataSource.query(`SELECT ${COLUMNS} FROM order_views WHERE status = 'PENDING' ORDER BY created_at, order_id LIMIT $1`, [limit]);
    return rows.map(toDto);
  }
}

function toDto(row: OrderViewRow): OrderView {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    items: row.items,
    total: row.total_amount === null || row.total_currency === null ? null : { amount: Number(row.total_amount), currency: row.total_currency },
    cancellationReason: row.cancellation_reason,
    timeline: row.timeline,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
