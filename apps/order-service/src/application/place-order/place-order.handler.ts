import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventData, OrderPlaced, PlacedOrderDto } from '@orders/contracts';
import { MessageTransactions } from '@orders/persistence';
import { Clock, DomainError, newId } from '@orders/shared-kernel';
import { Order } from '../../domain/order';
import { IdempotencyKeyConflict, IdempotencyKeyRepository, IdempotencyRecord } from '../idempotency-key.repository';
import { OrderRepository } from '../order.repository';
import { PlaceOrderCommand } from './place-order.command';
import { requestFingerprint } from './request-fingerprint';
import { SagaAdmission } from './saga-admission';

/**
 * Stores a new PENDING order, the customer's Idempotency-Key and `order.placed` in
 * one transaction. A retry with the same key and body gets the first answer back,
 * also when it races the first request; the same key with another body is refused.
 * Every request is admitted first: at capacity it is refused (SagasAtCapacity) without touching
 * the database, so refusing stays cheap when the database is the bottleneck; a retry of a stored
 * order gets its answer once it is admitted again.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly transactions: MessageTransactions,
    private readonly orders: OrderRepository,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly clock: Clock,
    private readonly admission: SagaAdmission,
  ) {}

  async execute(command: PlaceOrderCommand): Promise<PlacedOrderDto> {
    const { customerId, idempotencyKey: key, body } = command;
    await this.admission.admit();
    const requestHash = requestFingerprint(body);
    const earlier = await this.idempotencyKeys.find(customerId, key);
    if (earlier) return replay(earlier, requestHash);
    try {
      return await this.transactions.run(async (tx) => {
        const order = Order.place({
          id: newId(),
          customerId,
          items: body.items,
          shippingAddress: body.shippingAddress,
          paymentToken: body.payment.token,
          at: this.clock.now(),
        });
        await this.orders.insert(tx, order);
        // Waits for a concurrent request holding the same key, then fails if that one committed.
        await this.idempotencyKeys.insert(tx, { customerId, key, requestHash, orderId: order.id });
        await tx.publish(OrderPlaced.create(orderPlaced(order), { correlationId: command.correlationId }));
        return { orderId: order.id, status: 'PENDING' as const };
      });
    } catch (error) {
      if (!(error instanceof IdempotencyKeyConflict)) throw error;
      const winner = await this.idempotencyKeys.find(customerId, key);
      if (!winner) throw error;
      return replay(winner, requestHash);
    }
  }
}

/** What the participants learn about a new order: the order as placed, not the request that asked for it. */
function orderPlaced(order: Order): EventData<typeof OrderPlaced> {
  const { id: orderId, customerId, items, shippingAddress, paymentToken } = order;
  return { orderId, customerId, items: [...items], shippingAddress, paymentToken };
}

function replay(record: IdempotencyRecord, requestHash: string): PlacedOrderDto {
  if (record.requestHash !== requestHash) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
  }
  return { orderId: record.orderId, status: 'PENDING' };
}
