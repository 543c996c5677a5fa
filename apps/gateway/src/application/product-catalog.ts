import { ProductDto } from '@orders/contracts';
import { RequestContext } from './request-context';

/** The product catalogue, owned by inventory-service. */
export abstract class ProductCatalog {
  /** Rejects with UpstreamUnavailable or UpstreamTimeout when the catalogue cannot answer. */
  abstract list(context: RequestContext): Promise<ProductDto[]>;
}
