import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { QueryBus } from '@nestjs/cqrs';
import { GetOrder, ListOrders, QUERY_ERROR_CODES, QueryRequest, QueryResponse } from '@orders/contracts';
import { OnQuery, QueryContext, QueryFailure } from '@orders/messaging';
import { GetOrderQuery } from '../application/get-order/get-order.query';
import { ListOrdersQuery } from '../application/list-orders/list-orders.query';
import { InvalidCursorError } from '../application/list-orders/order-cursor';

/**
 * The order queries the BFFs ask over NATS, answered by the same query handlers as the HTTP API,
 * for the customer the query's caller token proves.
 */
@Controller()
export class OrderQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @OnQuery(GetOrder)
  async getOrder(@Payload() request: QueryRequest<typeof GetOrder>, @Ctx() context: QueryContext): Promise<QueryResponse<typeof GetOrder>> {
    const order = await this.queries.execute(new GetOrderQuery(request.orderId, context.caller.userId));
    if (!order) throw new QueryFailure('NOT_FOUND', `Order ${request.orderId} not found`);
    return order;
  }

  @OnQuery(ListOrders)
  async listOrders(@Payload() request: QueryRequest<typeof ListOrders>, @Ctx() context: QueryContext): Promise<QueryResponse<typeof ListOrders>> {
    try {
      return await this.queries.execute(new ListOrdersQuery(context.caller.userId, request.limit, request.cursor));
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new QueryFailure(QUERY_ERROR_CODES.invalidCursor, error.message);
      throw error;
    }
  }
}
