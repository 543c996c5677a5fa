import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import { ListProducts, QueryRequest, QueryResponse } from '@orders/contracts';
import { OnQuery } from '@orders/messaging';
import { ListProductsQuery } from '../application/list-products/list-products.query';

@Controller()
export class InventoryQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @OnQuery(ListProducts)
  async list(@Payload() request: QueryRequest<typeof ListProducts>): Promise<QueryResponse<typeof ListProducts>> {
    return { products: await this.queries.execute(new ListProductsQuery(request.skus)) };
  }
}
