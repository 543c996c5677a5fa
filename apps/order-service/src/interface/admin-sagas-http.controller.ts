import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { OrderPageQuery, orderPageQuerySchema, RunningSagaPage } from '@orders/contracts';
import { Caller, ZodValidationPipe } from '@orders/service-runtime';
import { ListRunningSagasQuery } from '../application/list-running-sagas/list-running-sagas.query';
import { badRequestOnInvalidCursor, requireOperator } from './admin-orders-http.controller';

/** Operators watch the sagas still running, oldest first: the ones nearest their deadline lead. */
@Controller('internal/admin/sagas')
export class AdminSagasHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  list(@Caller('roles') roles: string[], @Query(new ZodValidationPipe(orderPageQuerySchema)) params: OrderPageQuery): Promise<RunningSagaPage> {
    requireOperator(roles);
    return badRequestOnInvalidCursor(this.queries.execute(new ListRunningSagasQuery(params.limit, params.cursor)));
  }
}
