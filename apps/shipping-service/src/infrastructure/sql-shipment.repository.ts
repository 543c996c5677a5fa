import { Injectable } from '@nestjs/common';
import { ShipmentView } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { DataSource } from 'typeorm';
import { ShipmentRepository } from '../application/shipment.repository';
import { Address } from '../domain/address';
import { Shipment } from '../domain/shipment';
import { ShipmentRow } from './shipment-row';

/**
 * Shipments in plain SQL, on the saga's hot path: each method is one statement, and saving is an
 * upsert on the shipment's id that also stamps `updated_at`.
 */
@Injectable()
export class SqlShipmentRepository extends ShipmentRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findByOrder(orderId: string): Promise<Shipment | null> {
    const row = await this.findRow(orderId);
    return row ? toShipment(row) : null;
  }

  async lockByOrder(tx: Transaction, orderId: string): Promise<Shipment | null> {
    const rows = await tx.query<ShipmentRow>(`SELECT * FROM shipments WHERE order_id = $1 FOR UPDATE`, [orderId]);
    return rows.length > 0 ? toShipment(rows[0]) : null;
  }

  async save(tx: Transaction, shipment: Shipment): Promise<void> {
    await tx.write(
      `${INSERT_SHIPMENT}
       ON CONFLICT (id) DO UPDATE SET order_id = EXCLUDED.order_id, status = EXCLUDED.status, address = EXCLUDED.address, tracking_number = EXCLUDED.tracking_number,
                                      carrier_shipment_id = EXCLUDED.carrier_shipment_id, booking_cancelled = EXCLUDED.booking_cancelled, updated_at = EXCLUDED.updated_at`,
      shipmentColumns(shipment),
    );
  }

  async addUnlessOrderHasOne(tx: Transaction, shipment: Shipment): Promise<void> {
    await tx.write(`${INSERT_SHIPMENT} ON CONFLICT (order_id) DO NOTHING`, shipmentColumns(shipment));
  }

  async findView(orderId: string): Promise<ShipmentView | null> {
    const row = await this.findRow(orderId);
    if (!row) return null;
    return {
      shipmentId: row.id,
      orderId: row.order_id,
      status: row.status,
      trackingNumber: row.tracking_number,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** The last committed row, outside any transaction; `order_id` is unique. */
  private async findRow(orderId: string): Promise<ShipmentRow | null> {
    const rows: ShipmentRow[] = await this.dataSource.query(`SELECT * FROM shipments WHERE order_id = $1`, [orderId]);
    return rows[0] ?? null;
  }
}

function toShipment(row: ShipmentRow): Shipment {
  return Shipment.restore({
    id: row.id,
    orderId: row.order_id,
    address: row.address ? Address.of(row.address) : null,
    status: row.status,
    trackingNumber: row.tracking_number,
    carrierShipmentId: row.carrier_shipment_id,
    bookingCancelled: row.booking_cancelled,
  });
}

const INSERT_SHIPMENT = `INSERT INTO shipments (id, order_id, status, address, tracking_number, carrier_shipment_id, booking_cancelled, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

function shipmentColumns(shipment: Shipment): unknown[] {
  return [
    shipment.id,
    shipment.orderId,
    shipment.status,
    shipment.address ? JSON.stringify(shipment.address.toJSON()) : null,
    shipment.trackingNumber,
    shipment.carrierShipmentId,
    shipment.bookingCancelled,
    new Date(),
  ];
}
