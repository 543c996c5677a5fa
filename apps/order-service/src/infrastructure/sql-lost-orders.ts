import { Injectable } from '@nestjs/common';
import { Transaction } from '@orders/persistence';
import { LostOrders } from '../application/lost-orders';

/** A scope no durable consumer has: consumers are named after the service and an event type. */
const SETTLED_LOST_ORDERS = 'lost-orders';

/**
 * Keeps the settled lost orders in the inbox, the table that already remembers what was done
 * once, under a scope of their own: an order id is a UUID like an event id, and the row is kept
 * as long as any event about the order can still be redelivered (INBOX_RETENTION_HOURS).
 */
@Injectable()
export class SqlLostOrders extends LostOrders {
  async markSettled(tx: Transaction, orderId: string): Promise<boolean> {
    const inserted = await tx.query(`INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`, [SETTLED_LOST_ORDERS, orderId]);
    return inserted.length === 1;
  }
}
