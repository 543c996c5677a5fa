import { withPostgres } from '@orders/local-processes';
import type { PaymentLedger, Shipment } from '@orders/provider-simulators';
import { Platform, StockRow } from '../support/platform';

/** An order as order-service stored it. */
export interface OrderRow {
  id: string;
  customerId: string;
  status: string;
  cancellationReason: string | null;
  /** Minor units; known once stock was reserved. */
  total: number | null;
  items: Array<{ sku: string; quantity: number }>;
}

export interface IdempotencyKeyRow {
  customerId: string;
  key: string;
  orderId: string;
}

/** What really happened, from the systems of record rather than from what the API said. */
export interface Observations {
  orders: OrderRow[];
  idempotencyKeys: IdempotencyKeyRow[];
  stock: ReadonlyMap<string, StockRow>;
  /** The payment provider's ledger: the ground truth of money. */
  ledger: PaymentLedger;
  /** The carrier's bookings. */
  shipments: Shipment[];
}

export async function observe(platform: Platform): Promise<Observations> {
  const [{ orders, idempotencyKeys }, stock, ledger, shipments] = await Promise.all([orderServiceRows(platform), platform.stock(), platform.paymentLedger(), platform.shipments()]);
  return { orders, idempotencyKeys, stock, ledger, shipments };
}

function orderServiceRows(platform: Platform): Promise<Pick<Observations, 'orders' | 'idempotencyKeys'>> {
  return withPostgres(platform.stack.databaseUrls.order, async (client) => {
    const orders = await client.query<{
      id: string;
      customer_id: string;
      status: string;
      cancellation_reason: string | null;
      total_amount: string | null;
      items: OrderRow['items'];
    }>('SELECT id, customer_id, status, cancellation_reason, total_amount, items FROM orders');
    const keys = await client.query<{ customer_id: string; key: string; order_id: string }>('SELECT customer_id, key, order_id FROM idempotency_keys');
    return {
      orders: orders.rows.map((row) => ({
        id: row.id,
        customerId: row.customer_id,
        status: row.status,
        cancellationReason: row.cancellation_reason,
        total: row.total_amount === null ? null : Number(row.total_amount),
        items: row.items,
      })),
      idempotencyKeys: keys.rows.map((row) => ({ customerId: row.customer_id, key: row.key, orderId: row.order_id })),
    };
  });
}
