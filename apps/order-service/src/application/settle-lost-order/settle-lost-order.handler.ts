import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OrderCancelled } from '@orders/contracts';
import { PrecedingEventMissing } from '@orders/messaging';
import { MessageTransactions } from '@orders/persistence';
import { Clock } from '@orders/shared-kernel';
import { LOST_ORDER_CANCELLATION_REASON, LostOrders } from '../lost-orders';
import { OrderRepository } from '../order.repository';
import { SagaOutcomes } from '../saga-outcomes';
import { SagaSettings } from '../saga-settings';
import { SettleLostOrderCommand } from './settle-lost-order.command';

/**
 * A participant reported on an order the order database does not have. order-service publishes
 * `order.placed` from its own outbox, after the order's commit, so no participant learns of an
 * order before it is stored: once the event has waited LOST_ORDER_WAIT_MS for it, the order was
 * lost (a failover that lost the commit, a restore from an older backup). The saga is settled
 * once per order: `order.cancelled` makes inventory, payment and shipping undo whatever they did,
 * and every later event about the order is acknowledged with nothing to do, never dead-lettered.
 */
@CommandHandler(SettleLostOrderCommand)
export class SettleLostOrderHandler implements ICommandHandler<SettleLostOrderCommand> {
  private readonly logger = new Logger(SettleLostOrderHandler.name);

  constructor(
    private readonly transactions: MessageTransactions,
    private readonly orders: OrderRepository,
    private readonly lostOrders: LostOrders,
    private readonly settings: SagaSettings,
    private readonly clock: Clock,
    private readonly sagaOutcomes: SagaOutcomes,
  ) {}

  async execute({ event, consumer }: SettleLostOrderCommand): Promise<void> {
    const { orderId } = event.data;
    const missingForMs = this.clock.now().getTime() - new Date(event.occurredAt).getTime();
    let settledNow = false;
    const processed = await this.transactions.processOnce(event, consumer, async (tx) => {
      if (await this.orders.lock(tx, orderId)) throw new Error(`Order ${orderId} exists after all: ${event.type} ${event.id} is redelivered to be recorded on it`);
      // Marked first: an event about an order settled before needs no waiting.
      if (!(await this.lostOrders.markSettled(tx, orderId))) return;
      if (missingForMs < this.settings.lostOrderWaitMs) {
        throw new PrecedingEventMissing(
          `${event.type} ${event.id} is about order ${orderId}, which is not stored (yet); it counts as lost ${this.settings.lostOrderWaitMs} ms after the event`,
        );
      }
      await tx.publish(OrderCancelled.create({ orderId, reason: LOST_ORDER_CANCELLATION_REASON }, { causedBy: event }));
      settledNow = true;
    });
    if (!processed) return;
    if (!settledNow) {
      this.logger.warn(`Ignored ${event.type} ${event.id}: order ${orderId} was settled as lost before`);
      return;
    }
    this.logger.error(
      `Order ${orderId} is lost: ${event.type} ${event.id} is about it, but the order database does not have it. Published order.cancelled ${LOST_ORDER_CANCELLATION_REASON} so that inventory, payment and shipping undo its saga`,
    );
    this.sagaOutcomes.lost(LOST_ORDER_CANCELLATION_REASON);
  }
}
