import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OrderCancelled } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Clock } from '@orders/shared-kernel';
import { Order } from '../../domain/order';
import { OrderRepository } from '../order.repository';
import { SagaOutcomes } from '../saga-outcomes';
import { SagaSettings } from '../saga-settings';
import { TimeOutOrdersCommand } from './time-out-orders.command';

/**
 * Cancels TIMED_OUT the orders whose saga did not finish in time (a participant is
 * down, an event went to the DLQ, ...). `order.cancelled` makes the participants undo
 * whatever they did, including late successes. Safe to run in every replica at once.
 */
@CommandHandler(TimeOutOrdersCommand)
export class TimeOutOrdersHandler implements ICommandHandler<TimeOutOrdersCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly orders: OrderRepository,
    private readonly settings: SagaSettings,
    private readonly clock: Clock,
    private readonly sagaOutcomes: SagaOutcomes,
  ) {}

  async execute({ limit }: TimeOutOrdersCommand): Promise<number> {
    const now = this.clock.now();
    const timedOut: Order[] = [];
    const swept = await this.transactions.run(async (tx) => {
      const overdue = await this.orders.lockPendingPlacedBefore(tx, new Date(now.getTime() - this.settings.timeoutMs), limit);
      for (const order of overdue) {
        if (order.cancel('TIMED_OUT', now).kind !== 'cancelled') continue;
        await this.orders.save(tx, order);
        await tx.publish(OrderCancelled.create({ orderId: order.id, reason: 'TIMED_OUT' }, { correlationId: `saga-deadline-${order.id}` }));
        timedOut.push(order);
      }
      return overdue.length;
    });
    for (const order of timedOut) this.sagaOutcomes.ended(order, now);
    return swept;
  }
}
