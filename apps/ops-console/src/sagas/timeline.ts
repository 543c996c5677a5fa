import type { OrderView } from '../api';

/** Which service reports each kind of timeline entry: the entries are named after what they record. */
const SERVICE_BY_PREFIX: ReadonlyArray<readonly [string, string]> = [
  ['INVENTORY_', 'inventory-service'],
  ['PAYMENT_', 'payment-service'],
  ['SHIPMENT_', 'shipping-service'],
  ['ORDER_', 'order-service'],
];

/** The entry of the cancellation: every entry after it undoes an earlier step. */
const CANCELLED = 'ORDER_CANCELLED';

export interface TimelineHop {
  type: string;
  service: string;
  at: string;
  /** Since the previous entry, or since the order was placed for the first. */
  hopMs: number;
  sinceOrderMs: number;
  /** An earlier step undone after the order was cancelled. */
  compensation: boolean;
}

export function serviceOf(entryType: string): string {
  return SERVICE_BY_PREFIX.find(([prefix]) => entryType.startsWith(prefix))?.[1] ?? 'unknown';
}

/** The order's timeline in time order, each entry with the service that reported it and how long it took to come. */
export function timelineHops(order: Pick<OrderView, 'createdAt' | 'timeline'>): TimelineHop[] {
  const placedAt = Date.parse(order.createdAt);
  const entries = [...order.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const cancellation = entries.findIndex((entry) => entry.type === CANCELLED);
  return entries.map((entry, index) => {
    const at = Date.parse(entry.at);
    const previous = index === 0 ? placedAt : Date.parse(entries[index - 1].at);
    return {
      type: entry.type,
      service: serviceOf(entry.type),
      at: entry.at,
      hopMs: at - previous,
      sinceOrderMs: at - placedAt,
      compensation: cancellation !== -1 && index > cancellation,
    };
  });
}

/** A duration as an operator reads it: milliseconds below a second, then seconds, then minutes. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}
