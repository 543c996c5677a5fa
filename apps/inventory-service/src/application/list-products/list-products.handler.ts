import { Injectable } from '@nestjs/common';
import { ProductDto } from '@orders/contracts';
import { InventoryRepository } from '../inventory.repository';

/** The catalogue with current prices and how many units can still be ordered. */
@Injectable()
export class ListProductsHandler {
  constructor(private readonly inventory: InventoryRepository) {}

  async execute(skus?: readonly string[]): Promise<ProductDto[]> {
    const items = await this.inventory.listProducts(skus);
    return items.map((item) => ({ sku: item.sku, name: item.name, price: item.price.toJSON(), available: item.available }));
  }
}
