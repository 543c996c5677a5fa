import { Controller, Get } from '@nestjs/common';
import { ProductDto } from '@orders/contracts';
import { ProductCatalog } from '../application/product-catalog';
import { RequestContext } from '../application/request-context';
import { Caller } from './auth.guard';

@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly catalog: ProductCatalog) {}

  @Get()
  async list(@Caller() caller: RequestContext): Promise<{ products: ProductDto[] }> {
    return { products: await this.catalog.list(caller) };
  }
}
