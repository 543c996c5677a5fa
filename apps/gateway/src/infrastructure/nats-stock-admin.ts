import { Injectable } from '@nestjs/common';
import { CallerTokenIssuer } from '@orders/caller-tokens';
import { QUERY_ERROR_CODES, SetAvailable, StockLevelDto } from '@orders/contracts';
import { QueryClient, QueryFailure } from '@orders/messaging';
import { RequestContext } from '../application/request-context';
import { StockAdmin } from '../application/stock-admin';
import { inventoryFailure, inventoryQueryOptions } from './inventory-queries';
import { UpstreamSettings } from './upstream-settings';

/** Asks inventory-service to set stock over NATS request/reply, with the operator's caller token. */
@Injectable()
export class NatsStockAdmin extends StockAdmin {
  constructor(
    private readonly queries: QueryClient,
    private readonly settings: UpstreamSettings,
    private readonly callerTokens: CallerTokenIssuer,
  ) {
    super();
  }

  async setAvailable(context: RequestContext, sku: string, available: number): Promise<StockLevelDto | null> {
    try {
      return await this.queries.request(SetAvailable, { sku, available }, inventoryQueryOptions(context, this.settings, this.callerTokens));
    } catch (error) {
      if (error instanceof QueryFailure && error.code === QUERY_ERROR_CODES.notFound) return null;
      throw error instanceof QueryFailure ? inventoryFailure(error) : error;
    }
  }
}
