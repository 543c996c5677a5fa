import { Injectable } from '@nestjs/common';
import { GetOrder, GetPaymentByOrder, GetShipmentByOrder, HEADERS, ListProducts, OrderView, PaymentView, ProductDto, QueryDefinition, ShipmentView } from '@orders/contracts';
import { QueryClient, QueryFailure } from '@orders/messaging';
import { OrderReads, ReadFailure, ReadFailureReason } from '../application/order-reads';
import { RequestContext } from '../application/request-context';

/** How long each query may take. */
export abstract class QuerySettings {
  abstract readonly timeoutMs: number;
}

/** Reads the services' views over NATS request/reply. */
@Injectable()
export class NatsOrderReads extends OrderReads {
  constructor(
    private readonly queries: QueryClient,
    private readonly settings: QuerySettings,
  ) {
    super();
  }

  getOrder(orderId: string, context: RequestContext): Promise<OrderView> {
    return this.ask(GetOrder, { orderId, customerId: context.userId }, context);
  }

  getPayment(orderId: string, context: RequestContext): Promise<PaymentView> {
    return this.ask(GetPaymentByOrder, { orderId }, context);
  }

  getShipment(orderId: string, context: RequestContext): Promise<ShipmentView> {
    return this.ask(GetShipmentByOrder, { orderId }, context);
  }

  async listProducts(skus: readonly string[], context: RequestContext): Promise<ProductDto[]> {
    return (await this.ask(ListProducts, { skus: [...skus] }, context)).products;
  }

  private async ask<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, payload: TRequest, context: RequestContext): Promise<TResponse> {
    try {
      return await this.queries.request(query, payload, {
        timeoutMs: this.settings.timeoutMs,
        headers: { [HEADERS.requestId]: context.requestId, [HEADERS.correlationId]: context.correlationId },
      });
    } catch (error) {
      if (error instanceof QueryFailure) throw new ReadFailure(reasonOf(error), error.message);
      throw error;
    }
  }
}

function reasonOf(failure: QueryFailure): ReadFailureReason {
  if (failure.code === 'NOT_FOUND') return 'NOT_FOUND';
  if (failure.code === 'DEADLINE_EXCEEDED') return 'TIMEOUT';
  return 'UNAVAILABLE';
}
