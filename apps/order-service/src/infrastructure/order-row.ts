import { CancellationReason, OrderStatus, TimelineEntryType } from '../domain/order';

/** A row of `orders` as node-postgres reads it: jsonb parsed, timestamps as Dates, bigint as a string. */
export interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  items: Array<{ sku: string; quantity: number }>;
  shipping_address: { name: string; line1: string; city: string; postalCode: string; country: string };
  payment_token: string;
  /** Amounts are kept within Number.MAX_SAFE_INTEGER. */
  total_amount: string | null;
  total_currency: string | null;
  cancellation_reason: CancellationReason | null;
  timeline: Array<{ type: TimelineEntryType; /** ISO 8601. */ at: string }>;
  reserved: boolean;
  authorized: boolean;
  scheduled: boolean;
  captured: boolean;
  committed: boolean;
  created_at: Date;
  updated_at: Date;
}
