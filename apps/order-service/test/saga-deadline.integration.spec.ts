import { CommandBus } from '@nestjs/cqrs';
import { MessageTransactions } from '@orders/persistence';
import { Money } from '@orders/shared-kernel';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { OrderRepository } from '../src/application/order.repository';
import { TimeOutOrdersCommand } from '../src/application/time-out-orders/time-out-orders.command';
import { Order } from '../src/domain/order';
import { happyPath, ORDER, OrderServiceUnderTest, TOTAL } from './order-service.harness';

jest.setTimeout(30_000);

// Long enough that placing the order and handling its reservation finish first on a loaded machine.
const SAGA_TIMEOUT_MS = 5_000;

describe('the saga deadline of order-service on real Postgres and NATS JetStream', () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    service = await OrderServiceUnderTest.start({ SAGA_TIMEOUT_MS, SAGA_WATCHDOG_INTERVAL_MS: 100 });
  }, 60_000);

  afterAll(() => service?.stop());

  /** An order placed `ageMs` ago, stored directly, as the watchdog of a restarted service would find it. */
  const placedAgo = (ageMs: number, customerId: string): Order =>
    Order.place({ id: randomUUID(), customerId, items: ORDER.items, shippingAddress: ORDER.shippingAddress, paymentToken: 'tok_visa', at: new Date(Date.now() - ageMs) });

  const cancellationsOf = (orderIds: string[]) =>
    service.count(`SELECT count(*)::int AS n FROM outbox WHERE subject = 'order.cancelled.v1' AND payload->'data'->>'orderId' = ANY($1)`, [orderIds]);

  it('cancels an order still PENDING after the deadline TIMED_OUT, publishes order.cancelled once and ignores a late success', async () => {
    const answer = await service.placeOrder('tina', `key-${randomUUID()}`);
    const orderId: string = answer.body.orderId;
    const { reserved } = happyPath(orderId, undefined, 0.001);
    await service.publish(reserved);
    await service.processed(reserved);

    await waitFor(async () => (await service.orderStatus(orderId)) === 'CANCELLED', { timeoutMs: 15_000, description: 'order timed out' });
    const view = await service.view(orderId, 'tina');
    expect(view).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMED_OUT' });
    const timeline: Array<{ type: string; at: string }> = view.timeline;
    expect(timeline.map((entry) => entry.type)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'ORDER_CANCELLED']);
    expect(Date.parse(timeline[2].at) - Date.parse(view.createdAt)).toBeGreaterThanOrEqual(SAGA_TIMEOUT_MS);

    const streamed = await service.streamed('ORDER', 'order.cancelled.v1', orderId);
    expect(streamed).toEqual([expect.objectContaining({ data: { orderId, reason: 'TIMED_OUT' } })]);

    const late = happyPath(orderId).authorized;
    await service.publish(late);
    await service.processed(late);
    const after = await service.view(orderId, 'tina');
    expect(after).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMED_OUT' });
    expect(after.timeline).toEqual(view.timeline);
    expect(await service.outboxFor(orderId, 'order.cancelled.v1')).toBe(1);
  });

  it('times each overdue order out exactly once when replicas sweep at the same time, and leaves finished orders alone', async () => {
    const customer = `ursula-${randomUUID()}`;
    const overdue = Array.from({ length: 150 }, () => placedAgo(SAGA_TIMEOUT_MS * 10, customer));
    const cancelledByCustomer = placedAgo(SAGA_TIMEOUT_MS * 10, customer);
    cancelledByCustomer.cancelByCustomer(new Date());
    const confirmed = placedAgo(SAGA_TIMEOUT_MS * 10, customer);
    const steps = happyPath(confirmed.id, undefined, 0.001);
    confirmed.recordStep('INVENTORY_RESERVED', new Date(steps.reserved.occurredAt), Money.of(TOTAL.amount, TOTAL.currency));
    confirmed.recordStep('PAYMENT_CAPTURED', new Date(steps.captured.occurredAt));
    expect(confirmed.recordStep('INVENTORY_COMMITTED', new Date(steps.committed.occurredAt))).toMatchObject({ kind: 'confirmed' });

    const orders = service.app.get(OrderRepository);
    const commands = service.app.get(CommandBus);
    await service.app.get(MessageTransactions).run(async (tx) => {
      for (const order of [...overdue, cancelledByCustomer, confirmed]) await orders.insert(tx, order);
    });
    // Three sweeps of 60 at once besides the running watchdog, as replicas would.
    const swept = await Promise.all([1, 2, 3].map(() => commands.execute(new TimeOutOrdersCommand(60))));
    expect(swept.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(overdue.length);

    const overdueIds = overdue.map((order) => order.id);
    await waitFor(async () => (await service.count(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1) AND status = 'PENDING'`, [overdueIds])) === 0, {
      timeoutMs: 15_000,
      description: 'every overdue order timed out',
    });
    expect(await service.count(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1) AND cancellation_reason = 'TIMED_OUT'`, [overdueIds])).toBe(overdue.length);
    expect(await cancellationsOf(overdueIds)).toBe(overdue.length);
    expect(await service.orderStatus(confirmed.id)).toBe('CONFIRMED');
    expect(await service.view(cancelledByCustomer.id, customer)).toMatchObject({ status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED' });
    expect(await cancellationsOf([confirmed.id, cancelledByCustomer.id])).toBe(0);
  });
});
