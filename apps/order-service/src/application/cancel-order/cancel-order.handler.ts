import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CancelledOrderDto, OrderCancelled } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Clock } from '@orders/shared-kernel';
import { Order } from '../../domain/order';
import { OrderRepository } from '../order.repository';
import { SagaOutcomes } from '../saga-outcomes';
import { CancelOrderCommand } from './cancel-order.command';

/**
 * Cancels the order under its row lock and publishes `order.cancelled` in the same
 * transaction, which sets off the participants' compensations. A repeated request
 * publishes nothing and gets the same answer.
 */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
    private readonly sagaOutcomes: SagaOutcomes,
  ) {}

  async execute({ orderId, customerId, correlationId }: CancelOrderCommand): Promise<CancelledOrderDto | null> {
    const now = this.clock.now();
    // Only cancelling a PENDING order ends its saga; a confirmed order's saga ended already.
    let endedSaga: Order | undefined;
    const answer = await this.transactions.run(async (tx): Promise<CancelledOrderDto | null> => {
      const order = await this.orders.lock(tx, orderId);
      if (!order || order.customerId !== customerId) return null;
      const wasPending = order.status === 'PENDING';
      const outcome = order.cancelByCustomer(now);
      if (outcome.kind === 'cancelled') {
        await this.orders.save(tx, order);
        await tx.publish(OrderCancelled.create({ orderId, reason: 'CUSTOMER_CANCELLED' }, { correlationId }));
        if (wasPending) endedSaga = order;
      }
      return { orderId, status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED' };
    });
    if (endedSaga) this.sagaOutcomes.ended(endedSaga, now);
    return answer;
  }
}
