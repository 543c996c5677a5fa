import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Ctx, Payload } from '@nestjs/microservices';
import { HEADERS, QUERY_ERROR_CODES, QueryRequest, QueryResponse, SetAvailable } from '@orders/contracts';
import { OnQuery, QueryContext, QueryFailure } from '@orders/messaging';
import { newId } from '@orders/shared-kernel';
import { SetAvailableCommand } from '../application/set-available/set-available.command';

/** The role of the platform's operators, as the gateway puts it in the caller token. */
const OPERATOR_ROLE = 'ops';

/**
 * Operators' stock commands, asked by the gateway over NATS. The role is checked here again from
 * the caller token, not trusted to the gateway: whoever may publish the subject must still speak
 * for an operator.
 */
@Controller()
export class StockAdminController {
  constructor(private readonly commands: CommandBus) {}

  @OnQuery(SetAvailable)
  async setAvailable(@Payload() request: QueryRequest<typeof SetAvailable>, @Ctx() context: QueryContext): Promise<QueryResponse<typeof SetAvailable>> {
    if (!context.caller.roles.includes(OPERATOR_ROLE)) {
      throw new QueryFailure(QUERY_ERROR_CODES.forbidden, `Setting stock requires the ${OPERATOR_ROLE} role`);
    }
    const correlationId = context.headers?.get(HEADERS.correlationId) || newId();
    const stock = await this.commands.execute(new SetAvailableCommand(request.sku, request.available, context.caller.userId, correlationId));
    if (!stock) throw new QueryFailure(QUERY_ERROR_CODES.notFound, `There is no SKU ${request.sku}`);
    return stock;
  }
}
