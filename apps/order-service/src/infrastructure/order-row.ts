import { Column, Entity, PrimaryColumn, ValueTransformer } from 'typeorm';
import { CancellationReason, OrderStatus, TimelineEntryType } from '../domain/order';

export interface OrderItemRecord {
  sku: string;
  quantity: number;
}

export interface ShippingAddressRecord {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface TimelineEntryRecord {
  type: TimelineEntryType;
  /** ISO 8601. */
  at: string;
}

/** node-postgres reads bigint as a string; amounts are kept within Number.MAX_SAFE_INTEGER. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'orders' })
export class OrderEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'customer_id' })
  customerId!: string;

  @Column('text')
  status!: OrderStatus;

  @Column('jsonb')
  items!: OrderItemRecord[];

  @Column('jsonb', { name: 'shipping_address' })
  shippingAddress!: ShippingAddressRecord;

  @Column('text', { name: 'payment_token' })
  paymentToken!: string;

  @Column('bigint', { name: 'total_amount', nullable: true, transformer: bigintAsNumber })
  totalAmount!: number | null;

  @Column('char', { name: 'total_currency', length: 3, nullable: true })
  totalCurrency!: string | null;

  @Column('text', { name: 'cancellation_reason', nullable: true })
  cancellationReason!: CancellationReason | null;

  @Column('jsonb')
  timeline!: TimelineEntryRecord[];

  @Column('boolean')
  reserved!: boolean;

  @Column('boolean')
  authorized!: boolean;

  @Column('boolean')
  scheduled!: boolean;

  @Column('boolean')
  captured!: boolean;

  @Column('boolean')
  committed!: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
