import { GetPaymentByOrder } from '@orders/contracts';
import { QueryClient } from '@orders/messaging';
import { createPaymentProviderSimulator } from '@orders/provider-simulators';
import { HttpGate, ServiceTestBed, startHttpGate, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import {
  CALLERS,
  CONSUMERS,
  inventoryReserved,
  ledgerOf,
  netCharge,
  orderCancelled,
  orderPlaced,
  paymentOf,
  shippingFailed,
  shippingScheduled,
  startPaymentService,
  TOTAL,
  waitForPaymentStatus,
} from './payment-test-support';

const AUTHORIZE = { method: 'POST', path: /^\/v1\/authorizations$/ };
const CAPTURE = { method: 'POST', path: /^\/v1\/authorizations\/[^/]+\/capture$/ };
const VOID = { method: 'POST', path: /^\/v1\/authorizations\/[^/]+\/void$/ };

/**
 * What payment-service undoes when an order is cancelled: an authorization voided, a capture
 * refunded, each exactly once, whenever the cancellation arrives. Driven by published events
 * against the real provider simulator. The service reaches the simulator through a gate, so a
 * test can hold a provider call in flight and stage the races between the saga and a
 * cancellation deterministically.
 */
describe('payment-service compensations on real Postgres, NATS JetStream and the payment provider simulator', () => {
  let gate: HttpGate;
  let service: ServiceTestBed;

  const waitForStatus = (orderId: string, status: string) => waitForPaymentStatus(service, orderId, status);
  const ledger = (orderId: string) => ledgerOf(gate.targetUrl, orderId);
  const publishedTypes = async (orderId: string) => (await service.published(orderId)).map((event) => event.type);

  async function pendingOrder(orderId: string, paymentToken?: string): Promise<void> {
    await service.publish(orderPlaced(orderId, paymentToken));
    await waitForStatus(orderId, 'PENDING');
  }

  /** An order whose payment reached AUTHORIZED; returns the provider's authorization id. */
  async function authorizedOrder(orderId: string): Promise<string> {
    await pendingOrder(orderId);
    await service.publish(inventoryReserved(orderId));
    await waitForStatus(orderId, 'AUTHORIZED');
    return (await ledger(orderId)).authorizations[0].id;
  }

  /** Cancels a pending order while the provider is still working on its authorization, which the gate holds. */
  async function cancelWhileAuthorizing(orderId: string): Promise<void> {
    await pendingOrder(orderId);
    gate.hold(AUTHORIZE);
    await service.publish(inventoryReserved(orderId));
    await gate.holding();
    await service.publish(orderCancelled(orderId, 'TIMED_OUT'));
    await waitForStatus(orderId, 'CANCELLED');
  }

  beforeAll(async () => {
    gate = await startHttpGate(createPaymentProviderSimulator());
    service = await startPaymentService(gate.url);
  }, 60_000);

  afterEach(() => gate.pass());

  afterAll(async () => {
    await service?.stop();
    await gate?.close();
  });

  it('has nothing to void when the cancelled order was declined', async () => {
    const orderId = randomUUID();
    await pendingOrder(orderId, 'tok_declined');
    await service.publish(inventoryReserved(orderId));
    await waitForStatus(orderId, 'DECLINED');

    await service.publish(orderCancelled(orderId, 'PAYMENT_DECLINED'));
    await service.drained(...CONSUMERS.orderCancelled);

    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'DECLINED', amount: 2500 });
    expect(await ledger(orderId)).toMatchObject({ authorizations: [expect.objectContaining({ status: 'declined' })], voids: [], captures: [], refunds: [] });
    expect(await publishedTypes(orderId)).toEqual(['payment.failed']);
  }, 60_000);

  it('voids the authorization exactly once when shipping fails and the order is cancelled for it, and never captures it', async () => {
    const orderId = randomUUID();
    const authorizationId = await authorizedOrder(orderId);

    const failed = shippingFailed(orderId);
    await service.publish(failed, `${failed.id}-a`);
    await service.publish(failed, `${failed.id}-b`);
    // What order-service publishes next: a second compensation request for the same payment.
    await service.publish(orderCancelled(orderId, 'SHIPPING_UNAVAILABLE'));
    await waitForStatus(orderId, 'VOIDED');
    await service.drained(...CONSUMERS.shippingFailed);
    await service.drained(...CONSUMERS.orderCancelled);

    // A shipment scheduled after all (a replayed event) captures nothing.
    await service.publish(shippingScheduled(orderId));
    await service.drained(...CONSUMERS.shippingScheduled);

    const afterwards = await ledger(orderId);
    expect(afterwards.voids).toEqual([expect.objectContaining({ id: authorizationId })]);
    expect(afterwards.captures).toEqual([]);
    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'VOIDED', amount: 2500, provider_authorization_id: authorizationId });
    const events = await service.published(orderId);
    expect(events.map((event) => event.type)).toEqual(['payment.authorized', 'payment.voided']);
    expect(events[1]).toMatchObject({ correlationId: `test-${orderId}`, data: { orderId, amount: TOTAL } });
  }, 60_000);

  it('refunds exactly the captured amount once when a charged order is cancelled, however often the cancellation arrives', async () => {
    const orderId = randomUUID();
    await authorizedOrder(orderId);
    await service.publish(shippingScheduled(orderId));
    await waitForStatus(orderId, 'CAPTURED');

    const cancelled = orderCancelled(orderId, 'CUSTOMER_CANCELLED');
    await service.publish(cancelled, `${cancelled.id}-a`);
    await service.publish(cancelled, `${cancelled.id}-b`);
    await service.publish(orderCancelled(orderId, 'CUSTOMER_CANCELLED'));
    await waitForStatus(orderId, 'REFUNDED');
    await service.drained(...CONSUMERS.orderCancelled);

    const afterwards = await ledger(orderId);
    expect(afterwards.captures).toEqual([expect.objectContaining({ amount: 2500 })]);
    expect(afterwards.refunds).toEqual([expect.objectContaining({ captureId: afterwards.captures[0].id, amount: 2500, currency: 'EUR' })]);
    expect(afterwards.voids).toEqual([]);
    expect(netCharge(afterwards)).toBe(0);

    const events = await service.published(orderId);
    expect(events.map((event) => event.type)).toEqual(['payment.authorized', 'payment.captured', 'payment.refunded']);
    expect(events[2]).toMatchObject({ causationId: expect.any(String), data: { orderId, amount: TOTAL } });
    const view = await service.app.get(QueryClient).request(GetPaymentByOrder, { orderId }, CALLERS.askedBy('alice'));
    expect(view).toMatchObject({ orderId, status: 'REFUNDED', amount: TOTAL });
  }, 60_000);

  it('cancels a payment still waiting for its total, so the reservation that follows authorizes nothing', async () => {
    const orderId = randomUUID();
    await pendingOrder(orderId);

    await service.publish(orderCancelled(orderId, 'TIMED_OUT'));
    await waitForStatus(orderId, 'CANCELLED');
    await service.publish(inventoryReserved(orderId));
    await service.drained(...CONSUMERS.inventoryReserved);

    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'CANCELLED', amount: null, provider_authorization_id: null });
    expect((await ledger(orderId)).authorizations).toEqual([]);
    expect(await service.published(orderId)).toEqual([]);
  }, 60_000);

  it('never opens or authorizes a payment whose cancellation arrived before the order', async () => {
    const orderId = randomUUID();
    await service.publish(orderCancelled(orderId, 'CUSTOMER_CANCELLED'));
    await waitForStatus(orderId, 'CANCELLED');
    expect(await paymentOf(service, orderId)).toMatchObject({ token: null });

    await service.publish(orderPlaced(orderId));
    await service.publish(inventoryReserved(orderId));
    await service.drained(...CONSUMERS.inventoryReserved);
    await service.drained(...CONSUMERS.orderPlaced);

    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'CANCELLED', token: null, amount: null });
    expect((await ledger(orderId)).authorizations).toEqual([]);
    expect(await service.published(orderId)).toEqual([]);
    const view = await service.app.get(QueryClient).request(GetPaymentByOrder, { orderId }, CALLERS.askedBy('alice'));
    expect(view).toMatchObject({ orderId, status: 'CANCELLED', amount: null });
  }, 60_000);

  it('voids an authorization the provider approved while the order was being cancelled', async () => {
    const orderId = randomUUID();
    await cancelWhileAuthorizing(orderId);
    gate.pass();

    await waitForStatus(orderId, 'VOIDED');
    const afterwards = await ledger(orderId);
    expect(afterwards.authorizations).toEqual([expect.objectContaining({ status: 'approved', amount: 2500 })]);
    expect(afterwards.voids).toEqual([expect.objectContaining({ id: afterwards.authorizations[0].id })]);
    expect(afterwards.captures).toEqual([]);
    // The saga never heard of the authorization, only of its void.
    expect(await publishedTypes(orderId)).toEqual(['payment.voided']);
  }, 60_000);

  it('voids first when the cancellation overtakes a capture in flight, and the capture then takes nothing', async () => {
    const orderId = randomUUID();
    const authorizationId = await authorizedOrder(orderId);

    gate.hold(CAPTURE);
    await service.publish(shippingScheduled(orderId));
    await gate.holding();
    await service.publish(orderCancelled(orderId, 'CUSTOMER_CANCELLED'));
    await waitForStatus(orderId, 'VOIDED');
    gate.pass();
    await service.drained(...CONSUMERS.shippingScheduled);

    const afterwards = await ledger(orderId);
    expect(afterwards.voids).toEqual([expect.objectContaining({ id: authorizationId })]);
    expect(afterwards.captures).toEqual([]);
    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'VOIDED' });
    expect(await publishedTypes(orderId)).toEqual(['payment.authorized', 'payment.voided']);
  }, 60_000);

  it('refunds instead when the capture won the race against the void', async () => {
    const orderId = randomUUID();
    await authorizedOrder(orderId);

    // The provider captures, but payment-service does not hear back until the cancellation tried to void.
    gate.hold(CAPTURE, 'response');
    await service.publish(shippingScheduled(orderId));
    await gate.holding();
    const before = await service.deliveries(...CONSUMERS.orderCancelled);
    await service.publish(orderCancelled(orderId, 'CUSTOMER_CANCELLED'));
    await waitFor(async () => (await service.deliveries(...CONSUMERS.orderCancelled)) >= before + 2, {
      timeoutMs: 10_000,
      description: 'the cancellation to be retried while the capture is unrecorded',
    });
    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'AUTHORIZED' });
    gate.pass();

    await waitForStatus(orderId, 'REFUNDED');
    const afterwards = await ledger(orderId);
    expect(afterwards.voids).toEqual([]);
    expect(afterwards.captures).toHaveLength(1);
    expect(afterwards.refunds).toEqual([expect.objectContaining({ captureId: afterwards.captures[0].id, amount: afterwards.captures[0].amount })]);
    expect(netCharge(afterwards)).toBe(0);
    expect(await publishedTypes(orderId)).toEqual(['payment.authorized', 'payment.captured', 'payment.refunded']);
  }, 60_000);

  // Last: the refused voids may open the provider circuit breaker for a while.
  it('keeps a late authorization until its void goes through, across redeliveries', async () => {
    const orderId = randomUUID();
    gate.refuse(VOID, 503);
    await cancelWhileAuthorizing(orderId);
    const before = await service.deliveries(...CONSUMERS.inventoryReserved);
    gate.release();

    // Recorded while the order stayed cancelled, and the event is redelivered because the void failed.
    await waitFor(async () => (await paymentOf(service, orderId))?.provider_authorization_id, { timeoutMs: 10_000, description: 'the late authorization to be recorded' });
    await waitFor(async () => (await service.deliveries(...CONSUMERS.inventoryReserved)) >= before + 1, {
      timeoutMs: 10_000,
      description: 'the reservation to be redelivered',
    });
    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'CANCELLED' });
    expect((await ledger(orderId)).voids).toEqual([]);
    gate.pass();

    await waitForStatus(orderId, 'VOIDED');
    const afterwards = await ledger(orderId);
    expect(afterwards.voids).toEqual([expect.objectContaining({ id: afterwards.authorizations[0].id })]);
    expect(await publishedTypes(orderId)).toEqual(['payment.voided']);
  }, 90_000);
});

/**
 * Found by the chaos soak (tools/system-e2e/src/chaos): the provider authorized, but
 * payment-service never learned it (the answer was lost to a timeout, a crash or a
 * dropped database connection), and the order was cancelled before the reservation
 * was redelivered. The redelivery must find that authorization and void it.
 */
describe('payment-service when the answer to an authorization is lost', () => {
  const PROVIDER_TIMEOUT_MS = 3_000;
  let gate: HttpGate;
  let service: ServiceTestBed;

  beforeAll(async () => {
    gate = await startHttpGate(createPaymentProviderSimulator());
    // One attempt per delivery, so a lost answer fails the delivery and the reservation is redelivered.
    service = await startPaymentService(gate.url, { PROVIDER_TIMEOUT_MS, PROVIDER_RETRY_ATTEMPTS: 1 });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await gate?.close();
  });

  it('voids the authorization when the order was cancelled before the reservation came back', async () => {
    const orderId = randomUUID();
    await service.publish(orderPlaced(orderId));
    await waitForPaymentStatus(service, orderId, 'PENDING');

    // The provider authorizes; its answer never reaches payment-service.
    gate.hold(AUTHORIZE, 'response');
    await service.publish(inventoryReserved(orderId));
    await gate.holding();
    await service.publish(orderCancelled(orderId, 'CUSTOMER_CANCELLED'));
    await waitForPaymentStatus(service, orderId, 'CANCELLED');
    // A delivery of the reservation that starts only now sees the payment cancelled.
    const deliveries = await service.deliveries(...CONSUMERS.inventoryReserved);
    await waitFor(async () => (await service.deliveries(...CONSUMERS.inventoryReserved)) > deliveries, {
      timeoutMs: 4 * PROVIDER_TIMEOUT_MS,
      description: 'the reservation to be redelivered after the lost answer',
    });
    gate.pass();

    await waitForPaymentStatus(service, orderId, 'VOIDED');
    const afterwards = await ledgerOf(gate.targetUrl, orderId);
    expect(afterwards.authorizations).toEqual([expect.objectContaining({ status: 'approved' })]);
    expect(afterwards.voids).toEqual([expect.objectContaining({ id: afterwards.authorizations[0].id })]);
    expect(afterwards.captures).toEqual([]);
  }, 90_000);
});
