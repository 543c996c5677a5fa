/** A row of `products` as node-postgres reads it: int columns as numbers, the char(3) currency as a string. */
export interface ProductRow {
  sku: string;
  name: string;
  /** In the currency's minor unit (cents). */
  price_amount: number;
  currency: string;
  available: number;
  reserved: number;
  committed: number;
}
