import { OutboxRow } from './message-transactions';

/**
 * The order an outbox row belongs to, as far as the order of publishing goes: its event's
 * `data.orderId`. Events that name no order share one key, so they keep their order among
 * themselves.
 */
export function outboxOrderOf(row: Pick<OutboxRow, 'payload'>): string {
  const { orderId } = (row.payload.data ?? {}) as { orderId?: unknown };
  return typeof orderId === 'string' ? orderId : '';
}

/** `outboxOrderOf` in SQL, for the rows of `table`; the index outbox_unpublished_by_order is on exactly this expression. */
export function outboxOrderSql(table: string): string {
  return `coalesce(${table}.payload->'data'->>'orderId', '')`;
}
