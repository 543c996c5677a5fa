import { Registry } from 'prom-client';
import { GetPaymentByOrder } from '@orders/contracts';
import { DeadLetters, QueryClient } from '@orders/messaging';
import { close, createPaymentProviderSimulator, listen, MAX_AUTHORIZATION_AMOUNT } from '@orders/provider-simulators';
import { ServiceTestBed, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import {
  CALLERS,
  CONSUMERS,
  inventoryReserved,
  ledgerOf,
  orderPlaced,
  paymentOf,
  shippingScheduled,
  startPaymentService,
  TOTAL,
  waitForPaymentStatus,
} from './payment-test-support';

describe('payment-service on real Postgres, NATS JetStream and the payment provider simulator', () => {
  let provider: Server;
  let providerUrl: string;
  let service: ServiceTestBed;

  const waitForStatus = (orderId: string, status: string) => waitForPaymentStatus(service, orderId, status);

  beforeAll(async () => {
    provider = createPaymentProviderSimulator();
    providerUrl = await listen(provider);
    service = await startPaymentService(providerUrl);
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    if (provider?.listening) await close(provider);
  });

  it('authorizes the reserved total, captures it once shipped, and charges exactly once despite duplicates', async () => {
    const orderId = randomUUID();
    await service.publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'PENDING');

    const reserved = inventoryReserved(orderId);
    await service.publish(reserved, `${reserved.id}-a`);
    await service.publish(reserved, `${reserved.id}-b`);
    await waitForStatus(orderId, 'AUTHORIZED');
    await service.drained(...CONSUMERS.inventoryReserved);

    // Two different events for the same shipment (a replay with a new id): the payment state, not the inbox, stops the second.
    await service.publish(shippingScheduled(orderId));
    await service.publish(shippingScheduled(orderId));
    await waitForStatus(orderId, 'CAPTURED');
    await service.drained(...CONSUMERS.shippingScheduled);

    expect(await paymentOf(service, orderId)).toMatchObject({ status: 'CAPTURED', amount: 2500, currency: 'EUR' });
    const ledger = await ledgerOf(providerUrl, orderId);
    expect(ledger.authorizations).toEqual([expect.objectContaining({ status: 'approved', amount: 2500, currency: 'EUR' })]);
    expect(ledger.captures).toEqual([expect.objectContaining({ authorizationId: ledger.authorizations[0].id, amount: 2500 })]);

    const events = await service.published(orderId);
    expect(events.map((event) => event.type)).toEqual(['payment.authorized', 'payment.captured']);
    expect(events[0]).toMatchObject({ causationId: reserved.id, correlationId: `test-${orderId}`, data: { orderId, amount: TOTAL } });
    expect(events[1].data).toMatchObject({ orderId, amount: TOTAL });

    const view = await service.app.get(QueryClient).request(GetPaymentByOrder, { orderId }, CALLERS.askedBy('alice'));
    expect(view).toMatchObject({ orderId, status: 'CAPTURED', amount: TOTAL });
  }, 60_000);

  it('records a declined card as a failed payment and never captures it', async () => {
    const orderId = randomUUID();
    await service.publish(orderPlaced(orderId, 'tok_declined'));
    await waitForStatus(orderId, 'PENDING');
    await service.publish(inventoryReserved(orderId));
    await waitForStatus(orderId, 'DECLINED');

    const events = await service.published(orderId);
    expect(events.map((event) => event.type)).toEqual(['payment.failed']);
    expect(events[0].data).toMatchObject({ orderId, reason: 'DECLINED' });
    const ledger = await ledgerOf(providerUrl, orderId);
    expect(ledger.authorizations).toEqual([expect.objectContaining({ status: 'declined', amount: 2500 })]);
    expect(ledger.captures).toEqual([]);
  }, 60_000);

  // What the provider refuses about what the customer gave, not about our request: a decline that ends the saga at once.
  it.each([
    ['a card token the provider does not know', 'tok_mastercard', TOTAL],
    ['a total above what the provider authorizes at once', 'tok_visa', { amount: 2 * MAX_AUTHORIZATION_AMOUNT, currency: 'EUR' }],
  ])(
    'declines %s like a refused card and dead-letters nothing',
    async (_case, token, total) => {
      const orderId = randomUUID();
      await service.publish(orderPlaced(orderId, token));
      await waitForStatus(orderId, 'PENDING');
      await service.publish(inventoryReserved(orderId, total));
      await waitForStatus(orderId, 'DECLINED');

      const events = await service.published(orderId);
      expect(events.map((event) => event.type)).toEqual(['payment.failed']);
      expect(events[0].data).toMatchObject({ orderId, reason: 'DECLINED' });
      expect(await paymentOf(service, orderId)).toMatchObject({ amount: total.amount, provider_authorization_id: null });
      expect((await ledgerOf(providerUrl, orderId)).authorizations).toEqual([]);
      expect((await service.app.get(DeadLetters).list({ limit: 100 })).deadLetters).toEqual([]);
    },
    60_000,
  );

  it('authorizes a reservation that arrives before the order it belongs to', async () => {
    const orderId = randomUUID();
    await service.publish(inventoryReserved(orderId));
    // Nothing to authorize yet: the handler fails and JetStream redelivers with backoff.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await paymentOf(service, orderId)).toBeUndefined();
    expect((await ledgerOf(providerUrl, orderId)).authorizations).toEqual([]);

    await service.publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'AUTHORIZED');
    expect((await service.published(orderId)).map((event) => event.type)).toEqual(['payment.authorized']);
    expect((await ledgerOf(providerUrl, orderId)).authorizations).toHaveLength(1);
  }, 60_000);

  it('keeps retrying while the provider is unreachable, and authorizes once it is back', async () => {
    const orderId = randomUUID();
    await service.publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'PENDING');
    const before = await service.deliveries(...CONSUMERS.inventoryReserved);
    await close(provider);
    try {
      await service.publish(inventoryReserved(orderId));
      await waitFor(async () => (await service.deliveries(...CONSUMERS.inventoryReserved)) >= before + 2, {
        timeoutMs: 10_000,
        description: 'the reservation to be redelivered',
      });
      expect(await paymentOf(service, orderId)).toMatchObject({ status: 'PENDING' });
      expect(await service.published(orderId)).toEqual([]);
    } finally {
      await listen(provider, Number(new URL(providerUrl).port));
    }
    await waitForStatus(orderId, 'AUTHORIZED');
    expect((await ledgerOf(providerUrl, orderId)).authorizations).toHaveLength(1);
  }, 60_000);

  it("shows the payment provider's circuit breaker on /metrics", async () => {
    const metrics = await service.app.get(Registry).metrics();
    expect(metrics).toMatch(/^orders_circuit_breaker_state\{[^}]*dependency="payment-provider"[^}]*\} 0$/m);
  });

  it('answers NOT_FOUND for an order it has no payment for', async () => {
    await expect(service.app.get(QueryClient).request(GetPaymentByOrder, { orderId: randomUUID() }, CALLERS.askedBy('alice'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
