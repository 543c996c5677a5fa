import { Injectable } from '@nestjs/common';
import { ShipmentView } from '@orders/contracts';
import { Transaction } from '@orders/persistence';
import { DataSource } from 'typeorm';
import { ShipmentRepository } from '../application/shipment.repository';
import { Address } from '../domain/address';
import { Shipment } from '../domain/shipment';
import { ShipmentEntity } from './shipment.entity';

@Injectable()
export class TypeOrmShipmentRepository extends ShipmentRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findByOrder(orderId: string): Promise<Shipment | null> {
    const row = await this.findRow(orderId);
    return row ? toShipment(row) : null;
  }

  async lockByOrder(tx: Transaction, orderId: string): Promise<Shipment | null> {
    const row = await tx.manager.findOne(ShipmentEntity, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
    return row ? toShipment(row) : null;
  }

  async save(tx: Transaction, shipment: Shipment): Promise<void> {
    await tx.manager.upsert(
      ShipmentEntity,
      {
        id: shipment.id,
        orderId: shipment.orderId,
        status: shipment.status,
        address: shipment.address?.toJSON() ?? null,
        trackingNumber: shipment.trackingNumber,
        carrierShipmentId: shipment.carrierShipmentId,
        bookingCancelled: shipment.bookingCancelled,
        updatedAt: new Date(),
      },
      ['id'],
    );
  }

  async findView(orderId: string): Promise<ShipmentView | null> {
    const row = await this.findRow(orderId);
    if (!row) return null;
    return {
      shipmentId: row.id,
      orderId: row.orderId,
      status: row.status,
      trackingNumber: row.trackingNumber,
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private findRow(orderId: string): Promise<ShipmentEntity | null> {
    return this.dataSource.manager.findOne(ShipmentEntity, { where: { orderId } });
  }
}

function toShipment(row: ShipmentEntity): Shipment {
  return Shipment.restore({
    id: row.id,
    orderId: row.orderId,
    address: row.address ? Address.of(row.address) : null,
    status: row.status,
    trackingNumber: row.trackingNumber,
    carrierShipmentId: row.carrierShipmentId,
    bookingCancelled: row.bookingCancelled,
  });
}
