import { PaymentStatus } from '../domain/payment';

/** A row of `payments` as node-postgres reads it: int as a number, char(3) as a string, timestamps as Dates. */
export interface PaymentRow {
  id: string;
  order_id: string;
  status: PaymentStatus;
  /** Unknown when the order was cancelled before the payment was opened. */
  token: string | null;
  /** In minor units; null exactly when currency is. */
  amount: number | null;
  currency: string | null;
  provider_authorization_id: string | null;
  provider_capture_id: string | null;
  provider_refund_id: string | null;
  updated_at: Date;
}
