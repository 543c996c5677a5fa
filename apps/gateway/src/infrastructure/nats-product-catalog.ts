import { Injectable } from '@nestjs/common';
import { bearer, CallerTokenIssuer } from '@orders/caller-tokens';
import { HEADERS, ListProducts, ProductDto } from '@orders/contracts';
import { QueryClient, QueryFailure } from '@orders/messaging';
import { ProductCatalog } from '../application/product-catalog';
import { RequestContext } from '../application/request-context';
import { UpstreamTimeout, UpstreamUnavailable } from '../application/upstream';
import { UpstreamSettings } from './upstream-settings';

const INVENTORY = 'inventory-service';

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
      const { products } = await this.queries.request(
        ListProducts,
        {},
        {
          timeoutMs: this.settings.timeoutMs,
          deadline: context.deadline,
          headers: {
            [HEADERS.requestId]: context.requestId,
            [HEADERS.correlationId]: context.requestId,
            [HEADERS.authorization]: bearer(this.callerTokens.tokenFor(context.identity)),
          },
        },
      );
      return products;
    } catch (error) {
      if (!(error instanceof QueryFailure)) throw error;
      if (error.code === 'DEADLINE_EXCEEDED') throw new UpstreamTimeout(INVENTORY, error.message);
      throw new UpstreamUnavailable(INVENTORY, error.message);
    }
  }
}
