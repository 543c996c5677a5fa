import { MigrationInterface, QueryRunner } from 'typeorm';

/** The demo catalogue the local stack and tests order from. Prices in euro cents. */
export const DEMO_CATALOGUE = [
  { sku: 'SKU-TSHIRT', name: 'Organic cotton T-shirt', priceAmount: 1999, available: 1000 },
  { sku: 'SKU-HOODIE', name: 'Zip hoodie', priceAmount: 4999, available: 500 },
  { sku: 'SKU-MUG', name: 'Enamel mug', priceAmount: 1250, available: 2000 },
  { sku: 'SKU-CAP', name: 'Baseball cap', priceAmount: 1500, available: 750 },
  { sku: 'SKU-STICKERS', name: 'Sticker pack', priceAmount: 499, available: 10000 },
  { sku: 'SKU-LIMITED', name: 'Limited edition print', priceAmount: 9900, available: 5 },
] as const;

export class DemoCatalogue1763683300001 implements MigrationInterface {
  name = 'DemoCatalogue1763683300001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const product of DEMO_CATALOGUE) {
      await queryRunner.query(`INSERT INTO products (sku, name, price_amount, currency, available) VALUES ($1, $2, $3, 'EUR', $4) ON CONFLICT (sku) DO NOTHING`, [
        product.sku,
        product.name,
        product.priceAmount,
        product.available,
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM products WHERE sku = ANY($1)`, [DEMO_CATALOGUE.map((product) => product.sku)]);
  }
}
