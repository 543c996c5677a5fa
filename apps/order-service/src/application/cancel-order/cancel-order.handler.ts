import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OrderCancelled } from '@orders/contracts';
import { MessageTransactions } from '@orders/messaging';
import { Clock } from '@orders/shared-kernel';
import { OrderRepository } from '../order.repository';
import { CancelOrderCommand } from './cancel-order.command';
import { CancelledOrderDto } from './cancel-order.dto';

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
  ) {}

  async execute({ orderId, customerId, correlationId }: CancelOrderCommand): Promise<CancelledOrderDto | null> {
    return this.transactions.run(async (tx) => {
      const order = await this.orders.lock(tx, orderId);
      if (!order || order.customerId !== customerId) return null;
      const outcome = order.cancelByCustomer(this.clock.now());
      if (outcome.kind === 'cancelled') {
        await this.orders.save(tx, order);
        await tx.publish(OrderCancelled.create({ orderId, reason: 'CUSTOMER_CANCELLED' }, { correlationId }));
      }
      return { orderId, status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED' };
    });
  }
}
