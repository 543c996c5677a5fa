import { ReservationStatus } from '../domain/reservation';

/** One line of a reservation as stored in its `lines` jsonb column. */
export interface ReservationLineRecord {
  sku: string;
  quantity: number;
  unitPrice: { amount: number; currency: string };
}

/** A row of `reservations` as node-postgres reads it: jsonb parsed, timestamps as Dates. */
export interface ReservationRow {
  id: string;
  order_id: string;
  status: ReservationStatus;
  /** Empty only for a RELEASED tombstone. */
  lines: ReservationLineRecord[];
  expires_at: Date;
  updated_at: Date;
}
