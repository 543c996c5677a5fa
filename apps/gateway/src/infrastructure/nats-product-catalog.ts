import { Injectable } from '@nestjs/common';
import { CallerTokenIssuer } from '@orders/caller-tokens';
import { ListProducts, ProductDto } from '@orders/contracts';
import { QueryClient, QueryFailure } from '@orders/messaging';
import { ProductCatalog } from '../application/product-catalog';
import { RequestContext } from '../application/request-context';
import { inventoryFailure, inventoryQueryOptions } from './inventory-queries';
import { UpstreamSettings } from './upstream-settings';

/** Asks inventory-service for the catalogue over NATS request/reply, waiting no longer than the request's deadline allows. */
@Injectable()
export class NatsProductCatalog extends ProductCatalog {
  constructor(
    private readonly queries: QueryClient,
    private readonly settings: UpstreamSettings,
    private readonly callerTokens: CallerTokenIssuer,
  ) {
    super();
  }

  async list(context: RequestContext): Promise<ProductDto[]> {
    try {
      const { products } = await this.queries.request(ListProducts, {}, inventoryQueryOptions(context, this.settings, this.callerTokens));
      return products;
    } catch (error) {
      throw error instanceof QueryFailure ? inventoryFailure(error) : error;
    }
  }
}
