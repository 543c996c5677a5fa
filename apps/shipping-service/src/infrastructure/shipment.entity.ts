import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AddressProps } from '../domain/address';
import { ShipmentStatus } from '../domain/shipment';

@Entity({ name: 'shipments' })
export class ShipmentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'order_id', unique: true })
  orderId!: string;

  @Column('text')
  status!: ShipmentStatus;

  @Column('jsonb', { nullable: true })
  address!: AddressProps | null;

  @Column('text', { name: 'tracking_number', nullable: true })
  trackingNumber!: string | null;

  @Column('text', { name: 'carrier_shipment_id', nullable: true })
  carrierShipmentId!: string | null;

  @Column('boolean', { name: 'booking_cancelled', default: false })
  bookingCancelled!: boolean;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
