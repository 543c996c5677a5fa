import { Controller, Get, HttpStatus, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { OrderPage, orderPageQuerySchema, OrderView } from '@orders/contracts';
import { ApiError, Caller, ZodValidationPipe } from '@orders/service-runtime';
import { isId } from '@orders/shared-kernel';
import { z } from 'zod';
import { GetAnyOrderQuery } from '../application/get-any-order/get-any-order.query';
import { ListOrdersQuery } from '../application/list-orders/list-orders.query';
import { InvalidCursorError } from '../application/list-orders/order-cursor';
import { orderNotFound } from './orders-http.controller';

const OPERATOR_ROLE = 'ops';

const customerOrdersQuerySchema = orderPageQuerySchema.extend({ customerId: z.string().min(1).max(200) });
type CustomerOrdersQuery = z.output<typeof customerOrdersQuerySchema>;

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
    requireOperator(roles);
    const order = isId(orderId) ? await this.queries.execute(new GetAnyOrderQuery(orderId)) : null;
    if (!order) throw orderNotFound();
    return order;
  }

  /** A customer's orders, newest first, whatever their status: what an operator looks at when that customer asks about one. */
  @Get()
  list(@Caller('roles') roles: string[], @Query(new ZodValidationPipe(customerOrdersQuerySchema)) params: CustomerOrdersQuery): Promise<OrderPage> {
    requireOperator(roles);
    return badRequestOnInvalidCursor(this.queries.execute(new ListOrdersQuery(params.customerId, params.limit, params.cursor)));
  }
}

export function requireOperator(roles: string[]): void {
  if (!roles.includes(OPERATOR_ROLE)) throw new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `This requires the ${OPERATOR_ROLE} role`);
}

export async function badRequestOnInvalidCursor<T>(page: Promise<T>): Promise<T> {
  try {
    return await page;
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new ApiError(HttpStatus.BAD_REQUEST, error.code, error.message);
    throw error;
  }
}
