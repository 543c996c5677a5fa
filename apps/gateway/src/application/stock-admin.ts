import { StockLevelDto } from '@orders/contracts';
import { RequestContext } from './request-context';

/** Stock levels as operators set them, owned by inventory-service. */
export abstract class StockAdmin {
  /**
   * Sets how many units of a SKU can still be sold, for the operator of `context`; the stock
   * afterwards, or null for an unknown SKU. Rejects with UpstreamUnavailable or UpstreamTimeout
   * when inventory-service cannot answer.
   */
  abstract setAvailable(context: RequestContext, sku: string, available: number): Promise<StockLevelDto | null>;
}
