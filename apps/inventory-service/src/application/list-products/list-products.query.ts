import { Query } from '@nestjs/cqrs';
import { ProductDto } from '@orders/contracts';

/** The catalogue with current prices and how many units can still be ordered; only these SKUs when given. */
export class ListProductsQuery extends Query<ProductDto[]> {
  constructor(readonly skus?: readonly string[]) {
    super();
  }
}
