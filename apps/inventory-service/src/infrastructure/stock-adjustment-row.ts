/** A row of `stock_adjustments` as node-postgres reads it: timestamps as Dates. */
export interface StockAdjustmentRow {
  id: string;
  sku: string;
  previous_available: number;
  available: number;
  /** The operator's user id. */
  adjusted_by: string;
  adjusted_at: Date;
}
