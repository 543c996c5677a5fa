import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OrderCancelled, OrderConfirmed } from '@orders/contracts';
import { MessageTransactions } from '@orders/messaging';
import { Money } from '@orders/shared-kernel';
import { Order, StepOutcome } from '../../domain/order';
import { OrderViews } from '../order-views';
import { OrderRepository } from '../order.repository';
import { SagaOutcomes } from '../saga-outcomes';
import { RecordSagaStepCommand } from './record-saga-step.command';
import { SagaStepReport } from './record-saga-step.dto';

/**
 * Applies one saga event to its order under a row lock, once per event, and
 * publishes `order.confirmed` or `order.cancelled` in the same transaction when
 * the step ends the saga. The order's read model and its watermark move in that
 * transaction too, also for events the order itself ignores.
 */
@CommandHandler(RecordSagaStepCommand)
export class RecordSagaStepHandler implements ICommandHandler<RecordSagaStepCommand> {
  private readonly logger = new Logger(RecordSagaStepHandler.name);

  constructor(
    private readonly transactions: MessageTransactions,
    private readonly orders: OrderRepository,
    private readonly sagaOutcomes: SagaOutcomes,
    private readonly views: OrderViews,
  ) {}

  async execute({ event, consumer, report, fact }: RecordSagaStepCommand): Promise<void> {
    const { orderId } = event.data;
    let ended: Order | undefined;
    await this.transactions.processOnce(event, consumer, async (tx) => {
      const order = await this.orders.lock(tx, orderId);
      // Never acknowledged without its effect: the event comes back until the order exists.
      if (!order) throw new Error(`${event.type} ${event.id} is about unknown order ${orderId}`);
      const outcome = apply(order, report, new Date(event.occurredAt));
      if (outcome.kind === 'ignored') this.logger.warn(`Ignored ${event.type} ${event.id} for order ${orderId}: ${outcome.reason}`);
      if (outcome.kind !== 'duplicate' && outcome.kind !== 'ignored') await this.orders.save(tx, order);
      if (outcome.kind === 'confirmed' || outcome.kind === 'cancelled') ended = order;
      if (outcome.kind === 'confirmed') {
        await tx.publish(OrderConfirmed.create({ orderId, total: outcome.total.toJSON() }, { causedBy: event }));
      } else if (outcome.kind === 'cancelled') {
        await tx.publish(OrderCancelled.create({ orderId, reason: outcome.reason }, { causedBy: event }));
      }
      if (fact) await this.views.recordFact(tx, orderId, fact);
    });
    await this.views.advanceWatermark(new Date(event.occurredAt));
    if (ended) this.sagaOutcomes.ended(ended, new Date(event.occurredAt));
  }
}

function apply(order: Order, report: SagaStepReport, at: Date): StepOutcome {
  switch (report.step) {
    case 'reserved':
      return order.recordReserved(Money.of(report.total.amount, report.total.currency), at);
    case 'authorized':
      return order.recordAuthorized(at);
    case 'scheduled':
      return order.recordScheduled(at);
    case 'captured':
      return order.recordCaptured(at);
    case 'committed':
      return order.recordCommitted(at);
    case 'cancel':
      return order.cancel(report.reason, at);
    case 'compensated':
      return order.recordCompensation(report.fact, at);
  }
}
