import { EventEnvelope, PaymentVoided, ShippingCancelled } from '@orders/contracts';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { ReadModelLag } from '../src/infrastructure/read-model-lag';
import { happyPath, OrderServiceUnderTest, sagaEvent, TOTAL } from './order-service.harness';

jest.setTimeout(60_000);

interface OrderViewRow {
  status: string;
  timeline: Array<{ type: string; at: string }>;
  total_amount: string | null;
  payment_status: string | null;
  payment_amount: string | null;
  payment_currency: string | null;
  shipment_status: string | null;
  tracking_number: string | null;
}

describe('the order read model (order_views) on real Postgres and NATS JetStream', () => {
  let service: OrderServiceUnderTest;

  beforeAll(async () => {
    service = await OrderServiceUnderTest.start();
  }, 60_000);

  afterAll(() => service?.stop());

  const viewRow = async (orderId: string): Promise<OrderViewRow | undefined> => (await service.dataSource.query(`SELECT * FROM order_views WHERE order_id = $1`, [orderId]))[0];
  /** What the view says, without the times that differ between orders. */
  const essence = (row: OrderViewRow | undefined) =>
    row && {
      status: row.status,
      timeline: row.timeline.map((entry) => entry.type),
      total: row.total_amount,
      payment: { status: row.payment_status, amount: row.payment_amount, currency: row.payment_currency },
      shipment: { status: row.shipment_status, trackingNumber: row.tracking_number },
    };
  const place = async (customer: string): Promise<string> => {
    const answer = await service.placeOrder(customer, `key-${randomUUID()}`);
    expect(answer.status).toBe(202);
    return answer.body.orderId;
  };
  const deliverEach = async (events: EventEnvelope[]) => {
    for (const event of events) {
      await service.publish(event);
      await service.processed(event);
    }
  };
  const lagOnMetrics = () => service.sample('orders_read_model_lag_seconds', { service: 'order-service' });

  it('has the row of an order as soon as its placement is answered, so the customer reads it back at once', async () => {
    const orderId = await place('rita');

    expect(essence(await viewRow(orderId))).toEqual({
      status: 'PENDING',
      timeline: ['ORDER_PLACED'],
      total: null,
      payment: { status: null, amount: null, currency: null },
      shipment: { status: null, trackingNumber: null },
    });
    const read = await service.http('GET', `/internal/orders/${orderId}`, { user: 'rita' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ orderId, status: 'PENDING' });
  });

  it('records each step once when events are delivered twice under different message ids', async () => {
    const orderId = await place('dora');
    const events = happyPath(orderId);
    await deliverEach(Object.values(events));
    // A different Nats-Msg-Id gets past JetStream's de-duplication, as a re-publish after its window would.
    for (const event of [events.authorized, events.scheduled, events.captured]) await service.publish(event, `${event.id}-again`);
    await service.handled(events.authorized, events.scheduled, events.captured);

    expect(essence(await viewRow(orderId))).toEqual({
      status: 'CONFIRMED',
      timeline: ['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED', 'PAYMENT_CAPTURED', 'INVENTORY_COMMITTED', 'ORDER_CONFIRMED'],
      total: String(TOTAL.amount),
      payment: { status: 'CAPTURED', amount: String(TOTAL.amount), currency: TOTAL.currency },
      shipment: { status: 'SCHEDULED', trackingNumber: 'TRACK-1' },
    });
  });

  it('converges to the same view whatever order the events arrive in', async () => {
    const inOrder = await place('otto');
    const reversed = await place('otto');
    const forwards = happyPath(inOrder);
    const backwards = happyPath(reversed);
    await deliverEach(Object.values(forwards));
    await deliverEach(Object.values(backwards).reverse());

    const expected = essence(await viewRow(inOrder));
    expect(expected).toMatchObject({ status: 'CONFIRMED', payment: { status: 'CAPTURED' }, shipment: { status: 'SCHEDULED', trackingNumber: 'TRACK-1' } });
    expect(essence(await viewRow(reversed))).toEqual(expected);
  });

  it('keeps the later payment and shipment stage when a compensation overtakes the step it undoes', async () => {
    const orderId = await place('carla');
    const events = happyPath(orderId);
    const paymentId = events.authorized.data.paymentId;
    const shipmentId = events.scheduled.data.shipmentId;
    await deliverEach([
      sagaEvent(PaymentVoided, { orderId, paymentId, amount: TOTAL }, 5),
      sagaEvent(ShippingCancelled, { orderId, shipmentId }, 6),
      events.authorized,
      events.scheduled,
    ]);

    expect(essence(await viewRow(orderId))).toMatchObject({
      payment: { status: 'VOIDED', amount: String(TOTAL.amount), currency: TOTAL.currency },
      shipment: { status: 'CANCELLED', trackingNumber: 'TRACK-1' },
    });
  });

  it('reports the lag while the projection is held up and 0 again once it caught up', async () => {
    const orderId = await place('lena');
    const events = happyPath(orderId);
    await deliverEach([events.reserved]);
    // Handling advances the watermark after its commit, and stores it within a second; wait for that before setting it back.
    await service.handled(events.reserved);
    await waitFor(async () => (await service.count(`SELECT count(*)::int AS n FROM projection_watermark WHERE applied_until >= $1`, [events.reserved.occurredAt])) === 1, {
      timeoutMs: 15_000,
      description: 'the watermark stored',
    });
    // The watermark never moves back, and the events above happened seconds from now: say the last one applied is two minutes old.
    await service.dataSource.query(`UPDATE projection_watermark SET applied_until = now() - interval '120 seconds'`);
    await waitFor(async () => (await lagOnMetrics()) === 0, { timeoutMs: 15_000, description: 'no lag while nothing is pending' });

    // The order's row lock stalls the handler of the next event, as a stuck projector would.
    const blocker = service.dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    try {
      await blocker.query(`SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, [orderId]);
      await service.publish(events.authorized);
      await waitFor(async () => (await lagOnMetrics()) >= 120, { timeoutMs: 15_000, description: 'lag of at least the watermark age on /metrics' });
      expect(await service.app.get(ReadModelLag).seconds()).toBeGreaterThanOrEqual(120);
    } finally {
      await blocker.commitTransaction();
      await blocker.release();
    }

    await service.processed(events.authorized);
    await waitFor(async () => (await lagOnMetrics()) === 0, { timeoutMs: 15_000, description: 'lag back to 0 once caught up' });
    expect(essence(await viewRow(orderId))).toMatchObject({ payment: { status: 'AUTHORIZED' } });
  });
});
