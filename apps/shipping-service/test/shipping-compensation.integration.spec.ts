import { GetShipmentByOrder } from '@orders/contracts';
import { QueryClient } from '@orders/messaging';
import { createCarrierSimulator } from '@orders/provider-simulators';
import { HttpGate, ServiceTestBed, startHttpGate, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import {
  CALLERS,
  BERLIN,
  bookedAtCarrier,
  CONSUMERS,
  orderCancelled,
  orderPlaced,
  paymentAuthorized,
  shipmentOf,
  startShippingService,
  waitForShipment,
} from './shipping-test-support';

const BOOK = { method: 'POST', path: /^\/v1\/shipments$/ };
const CANCEL = { method: 'POST', path: /^\/v1\/shipments\/[^/]+\/cancel$/ };

/**
 * What shipping-service undoes when an order is cancelled: a shipment never booked, a
 * booked parcel cancelled with the carrier exactly once, whenever the cancellation arrives.
 * Driven by published events against the real carrier simulator, reached through a gate so
 * a test can hold a booking in flight while the order is cancelled.
 */
describe('shipping-service cancellations on real Postgres, NATS JetStream and the carrier simulator', () => {
  let gate: HttpGate;
  let service: ServiceTestBed;

  const waitForStatus = (orderId: string, status: string) => waitForShipment(service, orderId, { status });
  const parcels = (orderId: string) => bookedAtCarrier(gate.targetUrl, orderId);
  const publishedTypes = async (orderId: string) => (await service.published(orderId)).map((event) => event.type);

  async function requestedOrder(orderId: string, address = BERLIN): Promise<void> {
    await service.publish(orderPlaced(orderId, address));
    await waitForStatus(orderId, 'REQUESTED');
  }

  /** Cancels a requested order while the carrier is still booking its parcel, which the gate holds. */
  async function cancelWhileBooking(orderId: string): Promise<void> {
    await requestedOrder(orderId);
    gate.hold(BOOK);
    await service.publish(paymentAuthorized(orderId));
    await gate.holding();
    await service.publish(orderCancelled(orderId));
    await waitForStatus(orderId, 'CANCELLED');
  }

  beforeAll(async () => {
    gate = await startHttpGate(createCarrierSimulator());
    service = await startShippingService(gate.url);
  }, 60_000);

  afterEach(() => gate.pass());

  afterAll(async () => {
    await service?.stop();
    await gate?.close();
  });

  it('cancels a requested shipment, so the payment that follows books nothing', async () => {
    const orderId = randomUUID();
    await requestedOrder(orderId);

    await service.publish(orderCancelled(orderId));
    await waitForStatus(orderId, 'CANCELLED');
    await service.publish(paymentAuthorized(orderId));
    await service.drained(...CONSUMERS.paymentAuthorized);

    expect(await shipmentOf(service, orderId)).toMatchObject({ status: 'CANCELLED', carrier_shipment_id: null, address: BERLIN });
    expect(await parcels(orderId)).toEqual([]);
    expect(await service.published(orderId)).toEqual([]);
  }, 60_000);

  it('cancels a booked parcel with the carrier once, however often the cancellation arrives', async () => {
    const orderId = randomUUID();
    await requestedOrder(orderId);
    await service.publish(paymentAuthorized(orderId));
    await waitForStatus(orderId, 'SCHEDULED');

    const cancelled = orderCancelled(orderId);
    await service.publish(cancelled, `${cancelled.id}-a`);
    await service.publish(cancelled, `${cancelled.id}-b`);
    await service.publish(orderCancelled(orderId));
    await waitForShipment(service, orderId, { status: 'CANCELLED', booking_cancelled: true });
    await service.drained(...CONSUMERS.orderCancelled);

    const [parcel, ...others] = await parcels(orderId);
    expect(others).toEqual([]);
    expect(parcel).toMatchObject({ status: 'cancelled', address: BERLIN });
    expect(await shipmentOf(service, orderId)).toMatchObject({ carrier_shipment_id: parcel.id, tracking_number: parcel.trackingNumber });

    const events = await service.published(orderId);
    expect(events.map((event) => event.type)).toEqual(['shipping.scheduled', 'shipping.cancelled']);
    expect(events[1]).toMatchObject({ correlationId: `test-${orderId}`, data: { orderId } });
    const view = await service.app.get(QueryClient).request(GetShipmentByOrder, { orderId }, CALLERS.askedBy('alice'));
    expect(view).toMatchObject({ orderId, status: 'CANCELLED', trackingNumber: parcel.trackingNumber });
  }, 60_000);

  it('has nothing to cancel for a shipment the carrier refused', async () => {
    const orderId = randomUUID();
    await requestedOrder(orderId, { ...BERLIN, city: 'McMurdo Station', country: 'AQ' });
    await service.publish(paymentAuthorized(orderId));
    await waitForStatus(orderId, 'FAILED');

    await service.publish(orderCancelled(orderId));
    await service.drained(...CONSUMERS.orderCancelled);

    expect(await shipmentOf(service, orderId)).toMatchObject({ status: 'FAILED' });
    expect(await parcels(orderId)).toEqual([]);
    expect(await publishedTypes(orderId)).toEqual(['shipping.failed']);
  }, 60_000);

  it('never requests or books a shipment whose cancellation arrived before the order', async () => {
    const orderId = randomUUID();
    await service.publish(orderCancelled(orderId));
    await waitForStatus(orderId, 'CANCELLED');

    await service.publish(orderPlaced(orderId));
    await service.publish(paymentAuthorized(orderId));
    await service.drained(...CONSUMERS.orderPlaced);
    await service.drained(...CONSUMERS.paymentAuthorized);

    expect(await shipmentOf(service, orderId)).toMatchObject({ status: 'CANCELLED', address: null, carrier_shipment_id: null });
    expect(await parcels(orderId)).toEqual([]);
    expect(await service.published(orderId)).toEqual([]);
    const view = await service.app.get(QueryClient).request(GetShipmentByOrder, { orderId }, CALLERS.askedBy('alice'));
    expect(view).toMatchObject({ orderId, status: 'CANCELLED', trackingNumber: null });
  }, 60_000);

  it('cancels a parcel the carrier booked while the order was being cancelled', async () => {
    const orderId = randomUUID();
    await cancelWhileBooking(orderId);
    gate.pass();

    await waitForShipment(service, orderId, { status: 'CANCELLED', booking_cancelled: true });
    expect(await parcels(orderId)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    // The saga never heard of the booking, only of its cancellation.
    expect(await publishedTypes(orderId)).toEqual(['shipping.cancelled']);
  }, 60_000);

  // Last: the refused cancellations may open the carrier circuit breaker for a while.
  it('keeps a late booking until the carrier cancels it, across redeliveries', async () => {
    const orderId = randomUUID();
    gate.refuse(CANCEL, 503);
    await cancelWhileBooking(orderId);
    const before = await service.deliveries(...CONSUMERS.paymentAuthorized);
    gate.release();

    // Recorded while the order stayed cancelled, and the event is redelivered because the carrier refused to cancel.
    await waitFor(async () => (await shipmentOf(service, orderId))?.carrier_shipment_id, { timeoutMs: 10_000, description: 'the late booking to be recorded' });
    await waitFor(async () => (await service.deliveries(...CONSUMERS.paymentAuthorized)) >= before + 1, {
      timeoutMs: 10_000,
      description: 'the payment event to be redelivered',
    });
    expect(await shipmentOf(service, orderId)).toMatchObject({ status: 'CANCELLED', booking_cancelled: false });
    expect(await parcels(orderId)).toEqual([expect.objectContaining({ status: 'booked' })]);
    gate.pass();

    await waitForShipment(service, orderId, { status: 'CANCELLED', booking_cancelled: true });
    expect(await parcels(orderId)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect(await publishedTypes(orderId)).toEqual(['shipping.cancelled']);
  }, 90_000);
});

/**
 * Found by the chaos soak (tools/system-e2e/src/chaos): the carrier booked the parcel,
 * but shipping-service never learned it (the answer was lost to a timeout, a crash or a
 * dropped database connection), and the order was cancelled before the payment event was
 * redelivered. The redelivery must find that booking and cancel it.
 */
describe('shipping-service when the answer to a booking is lost', () => {
  const PROVIDER_TIMEOUT_MS = 3_000;
  let gate: HttpGate;
  let service: ServiceTestBed;

  beforeAll(async () => {
    gate = await startHttpGate(createCarrierSimulator());
    // One attempt per delivery, so a lost answer fails the delivery and the payment event is redelivered.
    service = await startShippingService(gate.url, { PROVIDER_TIMEOUT_MS, PROVIDER_RETRY_ATTEMPTS: 1 });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await gate?.close();
  });

  it('cancels the booking when the order was cancelled before the payment event came back', async () => {
    const orderId = randomUUID();
    await service.publish(orderPlaced(orderId));
    await waitForShipment(service, orderId, { status: 'REQUESTED' });

    // The carrier books; its answer never reaches shipping-service.
    gate.hold(BOOK, 'response');
    await service.publish(paymentAuthorized(orderId));
    await gate.holding();
    await service.publish(orderCancelled(orderId));
    await waitForShipment(service, orderId, { status: 'CANCELLED' });
    // A delivery of the payment event that starts only now sees the shipment cancelled.
    const deliveries = await service.deliveries(...CONSUMERS.paymentAuthorized);
    await waitFor(async () => (await service.deliveries(...CONSUMERS.paymentAuthorized)) > deliveries, {
      timeoutMs: 4 * PROVIDER_TIMEOUT_MS,
      description: 'the payment event to be redelivered after the lost answer',
    });
    gate.pass();

    await waitForShipment(service, orderId, { status: 'CANCELLED', booking_cancelled: true });
    expect(await bookedAtCarrier(gate.targetUrl, orderId)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  }, 90_000);
});
