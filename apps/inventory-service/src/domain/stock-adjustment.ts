/** An operator's count replacing how many units of a SKU can still be sold: who, when, from → to. */
export interface StockAdjustment {
  id: string;
  sku: string;
  previousAvailable: number;
  available: number;
  /** The operator's user id. */
  adjustedBy: string;
  adjustedAt: Date;
}
