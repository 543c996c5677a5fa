import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PaymentStatus } from '../domain/payment';

@Entity({ name: 'payments' })
export class PaymentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'order_id', unique: true })
  orderId!: string;

  @Column('text')
  status!: PaymentStatus;

  @Column('text', { nullable: true })
  token!: string | null;

  @Column('int', { nullable: true })
  amount!: number | null;

  @Column('char', { length: 3, nullable: true })
  currency!: string | null;

  @Column('text', { name: 'provider_authorization_id', nullable: true })
  providerAuthorizationId!: string | null;

  @Column('text', { name: 'provider_capture_id', nullable: true })
  providerCaptureId!: string | null;

  @Column('text', { name: 'provider_refund_id', nullable: true })
  providerRefundId!: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
