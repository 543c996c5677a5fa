import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'stock_adjustments' })
export class StockAdjustmentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  sku!: string;

  @Column('int', { name: 'previous_available' })
  previousAvailable!: number;

  @Column('int')
  available!: number;

  @Column('text', { name: 'adjusted_by' })
  adjustedBy!: string;

  @Column('timestamptz', { name: 'adjusted_at' })
  adjustedAt!: Date;
}
