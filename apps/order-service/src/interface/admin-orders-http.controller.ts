import { Controller, Get, HttpStatus, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { OrderView } from '@orders/contracts';
import { ApiError, Caller } from '@orders/service-runtime';
import { isId } from '@orders/shared-kernel';
import { GetAnyOrderQuery } from '../application/get-any-order/get-any-order.query';
import { orderNotFound } from './orders-http.controller';

const OPERATOR_ROLE = 'ops';

/**
 * Operators read any customer's order, e.g. to follow the saga a dead letter held up. The gateway
 * checks the role before it forwards; the check here keeps a customer's caller token from reading
 * other customers' orders should anything else reach this route.
 */
@Controller('internal/admin/orders')
export class AdminOrdersHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  async get(@Caller('roles') roles: string[], @Param('id') orderId: string): Promise<OrderView> {
    if (!roles.includes(OPERATOR_ROLE)) throw new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `This requires the ${OPERATOR_ROLE} role`);
    const order = isId(orderId) ? await this.queries.execute(new GetAnyOrderQuery(orderId)) : null;
    if (!order) throw orderNotFound();
    return order;
  }
}
