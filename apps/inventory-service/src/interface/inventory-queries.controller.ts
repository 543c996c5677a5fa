import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ListProducts, QueryRequest, QueryResponse } from '@orders/contracts';
import { OnQuery } from '@orders/messaging';
import { ListProductsHandler } from '../application/list-products/list-products.handler';

@Controller()
export class InventoryQueriesController {
  constructor(private readonly listProducts: ListProductsHandler) {}

  @OnQuery(ListProducts)
  async list(@Payload() request: QueryRequest<typeof ListProducts>): Promise<QueryResponse<typeof ListProducts>> {
    return { products: await this.listProducts.execute(request.skus) };
  }
}
