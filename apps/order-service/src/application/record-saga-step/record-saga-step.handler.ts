import { Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OrderCancelled, OrderConfirmed, ReadModelStage, SagaEffect, sagaEventMeaning } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { Order, StepOutcome } from '../../domain/order';
import { OrderViews, ParticipantFact } from '../order-views';
import { OrderRepository } from '../order.repository';
import { SagaOutcomes } from '../saga-outcomes';
import { SettleLostOrderCommand } from '../settle-lost-order/settle-lost-order.command';
import { RecordSagaStepCommand, SagaEventData } from './record-saga-step.command';

/** The order an event is about is not stored: its transaction rolls back, inbox row included. */
class OrderNotStored extends Error {}

/**
 * Applies one saga event to its order as the saga's table says it means (docs/saga.md), under a
 * row lock, once per event, and publishes `order.confirmed` or `order.cancelled` in the same
 * transaction when the step ends the saga. The order's read model and its watermark move in
 * that transaction too, also for events the order itself ignores. An event about an order that
 * is not stored goes on to settle the order as lost.
 */
@CommandHandler(RecordSagaStepCommand)
export class RecordSagaStepHandler implements ICommandHandler<RecordSagaStepCommand> {
  private readonly logger = new Logger(RecordSagaStepHandler.name);

  constructor(
    private readonly transactions: MessageTransactions,
    private readonly orders: OrderRepository,
    private readonly sagaOutcomes: SagaOutcomes,
    private readonly views: OrderViews,
    private readonly commands: CommandBus,
  ) {}

  async execute({ event, consumer }: RecordSagaStepCommand): Promise<void> {
    const { orderId } = event.data;
    const { effect, readModel } = sagaEventMeaning(event.type, event.data.reason);
    let ended: Order | undefined;
    try {
      await this.transactions.processOnce(event, consumer, async (tx) => {
        const order = await this.orders.lock(tx, orderId);
        if (!order) throw new OrderNotStored();
        const outcome = apply(order, effect, event.data, new Date(event.occurredAt));
        if (outcome.kind === 'ignored') this.logger.warn(`Ignored ${event.type} ${event.id} for order ${orderId}: ${outcome.reason}`);
        if (outcome.kind !== 'duplicate' && outcome.kind !== 'ignored') await this.orders.save(tx, order);
        if (outcome.kind === 'confirmed' || outcome.kind === 'cancelled') ended = order;
        if (outcome.kind === 'confirmed') {
          await tx.publish(OrderConfirmed.create({ orderId, total: outcome.total.toJSON() }, { causedBy: event }));
        } else if (outcome.kind === 'cancelled') {
          await tx.publish(OrderCancelled.create({ orderId, reason: outcome.reason }, { causedBy: event }));
        }
        if (readModel) await this.views.recordFact(tx, orderId, participantFact(readModel, event.data));
      });
    } catch (error) {
      if (error instanceof OrderNotStored) return this.commands.execute(new SettleLostOrderCommand(event, consumer));
      throw error;
    }
    this.views.advanceWatermark(new Date(event.occurredAt));
    if (ended) this.sagaOutcomes.ended(ended, new Date(event.occurredAt));
  }
}

function apply(order: Order, effect: SagaEffect, data: SagaEventData, at: Date): StepOutcome {
  switch (effect.kind) {
    case 'step':
      return order.recordStep(effect.step, at, data.total && Money.of(data.total.amount, data.total.currency));
    case 'cancellation':
      return order.cancel(effect.reason, at);
    case 'compensation':
      return order.recordCompensation(effect.compensation, at);
  }
}

/** The read model takes the stage the event means, with the amount or tracking number the event carries. */
function participantFact(stage: ReadModelStage, data: SagaEventData): ParticipantFact {
  return 'payment' in stage ? { payment: stage.payment, amount: data.amount } : { shipment: stage.shipment, trackingNumber: data.trackingNumber };
}
