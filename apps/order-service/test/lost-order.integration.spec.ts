import { InventoryReleased, PaymentCaptured, PaymentVoided, ShippingCancelled } from '@orders/contracts';
import { DeadLetters } from '@orders/messaging';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { SERVICE_NAME } from '../src/config';
import { happyPath, OrderServiceUnderTest, sagaEvent, TOTAL } from './order-service.harness';

jest.setTimeout(60_000);

/**
 * A failover of an asynchronously replicated order database can lose an order whose
 * `order.placed` was already relayed: the participants run its saga, and every event they
 * publish about it reaches an order database that has no such order.
 */
describe('order-service on real Postgres and NATS JetStream, for an order its database lost', () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    service = await OrderServiceUnderTest.start({ LOST_ORDER_WAIT_MS: 500 });
  }, 60_000);

  afterAll(() => service?.stop());

  const lostOrders = () => service.sample('orders_saga_outcomes_total', { outcome: 'lost', reason: 'TIMED_OUT' });

  it('settles the saga once: order.cancelled for the participants to undo their steps, counted, nothing dead-lettered, other orders carry on', async () => {
    const lostBefore = await lostOrders();
    const lostOrderId = randomUUID();
    const lost = happyPath(lostOrderId, `lost-${lostOrderId}`, 0);
    const sagaSoFar = [lost.reserved, lost.authorized, lost.scheduled];
    const orderId: string = (await service.placeOrder('ursula', `key-${randomUUID()}`)).body.orderId;
    const running = happyPath(orderId, undefined, 0.001);

    for (const event of sagaSoFar) await service.publish(event);
    for (const event of Object.values(running)) await service.publish(event);

    await waitFor(async () => (await service.orderStatus(orderId)) === 'CONFIRMED', { timeoutMs: 15_000, description: 'the other order confirmed' });
    for (const event of sagaSoFar) await service.processed(event);
    const cancellations = await service.streamed('ORDER', 'order.cancelled.v1', lostOrderId);
    expect(cancellations).toEqual([expect.objectContaining({ data: { orderId: lostOrderId, reason: 'TIMED_OUT' }, correlationId: `lost-${lostOrderId}` })]);
    expect(sagaSoFar.map((event) => event.id)).toContain(cancellations[0].causationId);
    // Counted once the handler is done, after its commit.
    await service.handled(...sagaSoFar);
    expect(await lostOrders()).toBe(lostBefore + 1);

    // What the participants publish next about the lost order: their compensations, and a capture that was already under way.
    const afterwards = [
      sagaEvent(PaymentCaptured, { orderId: lostOrderId, paymentId: lost.authorized.data.paymentId, amount: TOTAL }, 0),
      sagaEvent(InventoryReleased, { orderId: lostOrderId, reservationId: lost.reserved.data.reservationId, reason: 'COMPENSATION' }, 0),
      sagaEvent(PaymentVoided, { orderId: lostOrderId, paymentId: lost.authorized.data.paymentId, amount: TOTAL }, 0),
      sagaEvent(ShippingCancelled, { orderId: lostOrderId, shipmentId: lost.scheduled.data.shipmentId }, 0),
    ];
    for (const event of afterwards) await service.publish(event);
    for (const event of afterwards) await service.processed(event);
    await service.handled(...sagaSoFar, ...afterwards, ...Object.values(running));

    expect(await service.outboxFor(lostOrderId, 'order.cancelled.v1')).toBe(1);
    expect(await lostOrders()).toBe(lostBefore + 1);
    expect(await service.orderStatus(lostOrderId)).toBeUndefined();
    expect(await service.app.get(DeadLetters).depth(SERVICE_NAME)).toBe(0);
  });

  it('settles a lost order whose saga had already failed, and a lost order reported first by its failure', async () => {
    const lostBefore = await lostOrders();
    const lostOrderIds = [randomUUID(), randomUUID()];
    const [released, voided] = [
      sagaEvent(InventoryReleased, { orderId: lostOrderIds[0], reservationId: randomUUID(), reason: 'EXPIRED' }, 0),
      sagaEvent(PaymentVoided, { orderId: lostOrderIds[1], paymentId: randomUUID(), amount: TOTAL }, 0),
    ];
    await service.publish(released);
    await service.publish(voided);
    await service.processed(released);
    await service.processed(voided);

    for (const lostOrderId of lostOrderIds) expect(await service.outboxFor(lostOrderId, 'order.cancelled.v1')).toBe(1);
    await service.handled(released, voided);
    expect(await lostOrders()).toBe(lostBefore + 2);
    expect(await service.app.get(DeadLetters).depth(SERVICE_NAME)).toBe(0);
  });
});
