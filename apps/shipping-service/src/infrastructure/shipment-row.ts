import { AddressProps } from '../domain/address';
import { ShipmentStatus } from '../domain/shipment';

/** A row of `shipments` as node-postgres reads it: jsonb parsed, timestamps as Dates. */
export interface ShipmentRow {
  id: string;
  order_id: string;
  status: ShipmentStatus;
  /** Null only for a shipment cancelled before its order was placed here. */
  address: AddressProps | null;
  tracking_number: string | null;
  carrier_shipment_id: string | null;
  booking_cancelled: boolean;
  updated_at: Date;
}
