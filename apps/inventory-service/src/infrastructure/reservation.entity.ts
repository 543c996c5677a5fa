import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ReservationStatus } from '../domain/reservation';

export interface ReservationLineRecord {
  sku: string;
  quantity: number;
  unitPrice: { amount: number; currency: string };
}

@Entity({ name: 'reservations' })
export class ReservationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'order_id', unique: true })
  orderId!: string;

  @Column('text')
  status!: ReservationStatus;

  @Column('jsonb')
  lines!: ReservationLineRecord[];

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
