import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProductDto } from '@orders/contracts';
import { InventoryRepository } from '../inventory.repository';
import { ListProductsQuery } from './list-products.query';

@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(private readonly inventory: InventoryRepository) {}

  async execute({ skus }: ListProductsQuery): Promise<ProductDto[]> {
    const items = await this.inventory.listProducts(skus);
    return items.map((item) => ({ sku: item.sku, name: item.name, price: item.price.toJSON(), available: item.available }));
  }
}
