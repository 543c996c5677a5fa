import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListProducts, ProductDto } from '@orders/contracts';
import { ProductCatalog } from '../application/product-catalog';
import { RequestContext } from '../application/request-context';
import { AUTHENTICATED_ROUTE_ERRORS, UPSTREAM_ERRORS } from './api-docs/api-errors';
import { productsExample } from './api-docs/examples';
import { ApiErrorResponses, ApiJsonResponse } from './api-docs/openapi-decorators';
import { Caller } from './auth.guard';

@Controller('api/v1/products')
@ApiTags('products')
export class ProductsController {
  constructor(private readonly catalog: ProductCatalog) {}

  @Get()
  @ApiOperation({ summary: 'The catalogue', description: 'Every product with its current price and the units available now.' })
  @ApiJsonResponse(HttpStatus.OK, 'Every product.', ListProducts.response, { catalogue: { summary: 'The catalogue', value: productsExample } })
  @ApiErrorResponses(...AUTHENTICATED_ROUTE_ERRORS, ...UPSTREAM_ERRORS)
  async list(@Caller() caller: RequestContext): Promise<{ products: ProductDto[] }> {
    return { products: await this.catalog.list(caller) };
  }
}
