import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'products' })
export class ProductEntity {
  @PrimaryColumn('text')
  sku!: string;

  @Column('text')
  name!: string;

  @Column('int', { name: 'price_amount' })
  priceAmount!: number;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('int')
  available!: number;

  @Column('int')
  reserved!: number;

  @Column('int')
  committed!: number;
}
