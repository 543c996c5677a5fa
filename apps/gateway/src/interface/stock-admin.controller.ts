import { Body, Controller, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SetAvailableBody, setAvailableBodySchema, skuSchema, StockLevelDto, stockLevelSchema } from '@orders/contracts';
import { ApiError, ZodValidationPipe } from '@orders/service-runtime';
import { RequestContext } from '../application/request-context';
import { StockAdmin } from '../application/stock-admin';
import { ADMIN_ROUTE_ERRORS, API_ERRORS, JSON_BODY_ERRORS } from './api-docs/api-errors';
import { stockLevelExample } from './api-docs/examples';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse, ApiPathParameter } from './api-docs/openapi-decorators';
import { Caller } from './auth.guard';
import { RequireRole } from './require-role';

/** Operators' stock levels: inventory-service sets them, and checks the operator's role again. */
@Controller('api/v1/admin/inventory')
@RequireRole('ops')
@ApiTags('admin')
export class StockAdminController {
  constructor(private readonly stock: StockAdmin) {}

  @Put(':sku')
  @ApiOperation({
    summary: 'Set the units of a SKU for sale',
    description: [
      'Sets how many units can still be sold, e.g. after a delivery or a stock count; units reserved for or sold to orders are not touched. Each change is recorded with who made it, when and the count it replaced, and published as `inventory.stock-adjusted`.',
      'Needs no Idempotency-Key: a PUT sets a value rather than adding to it, so repeating it, after a timeout too, changes nothing more. Setting the count a SKU already has records and publishes nothing.',
    ].join('\n\n'),
  })
  @ApiPathParameter('sku', skuSchema, 'SKU-MUG')
  @ApiJsonBody(setAvailableBodySchema, {
    delivery: { summary: 'After a delivery', value: { available: 2500 } },
    offSale: { summary: 'Nothing more for sale', value: { available: 0 } },
  })
  @ApiJsonResponse(HttpStatus.OK, 'The stock of the SKU, as it is now.', stockLevelSchema, { set: { summary: 'Set', value: stockLevelExample } })
  @ApiErrorResponses(...ADMIN_ROUTE_ERRORS, ...JSON_BODY_ERRORS, API_ERRORS.skuNotFound, API_ERRORS.upstreamTimeout)
  async setAvailable(
    @Param('sku', new ZodValidationPipe(skuSchema)) sku: string,
    @Body(new ZodValidationPipe(setAvailableBodySchema)) body: SetAvailableBody,
    @Caller() caller: RequestContext,
  ): Promise<StockLevelDto> {
    const stock = await this.stock.setAvailable(caller, sku, body.available);
    if (!stock) throw new ApiError(HttpStatus.NOT_FOUND, 'SKU_NOT_FOUND', `There is no SKU ${sku}`);
    return stock;
  }
}
