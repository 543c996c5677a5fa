import { Registry } from 'prom-client';
import { GetShipmentByOrder } from '@orders/contracts';
import { DeadLetters, QueryClient } from '@orders/messaging';
import { close, createCarrierSimulator, listen } from '@orders/provider-simulators';
import { ServiceTestBed } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { BERLIN, bookedAtCarrier, CALLERS, CONSUMERS, orderPlaced, paymentAuthorized, shipmentOf, startShippingService, waitForShipment } from './shipping-test-support';

describe('shipping-service on real Postgres, NATS JetStream and the carrier simulator', () => {
  let carrier: Server;
  let carrierUrl: string;
  let service: ServiceTestBed;

  const waitForStatus = (orderId: string, status: string) => waitForShipment(service, orderId, { status });

  beforeAll(async () => {
    carrier = createCarrierSimulator();
    carrierUrl = await listen(carrier);
    service = await startShippingService(carrierUrl);
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    if (carrier?.listening) await close(carrier);
  });

  it('books one parcel for a paid order, even when the payment event arrives twice', async () => {
    const orderId = randomUUID();
    await service.publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'REQUESTED');
    expect((await shipmentOf(service, orderId))?.address).toEqual(BERLIN);

    const authorized = paymentAuthorized(orderId);
    await service.publish(authorized, `${authorized.id}-a`);
    await service.publish(authorized, `${authorized.id}-b`);
    await waitForStatus(orderId, 'SCHEDULED');
    await service.drained(...CONSUMERS.paymentAuthorized);

    const booked = await bookedAtCarrier(carrierUrl, orderId);
    expect(booked).toEqual([expect.objectContaining({ status: 'booked', address: BERLIN })]);
    expect((await shipmentOf(service, orderId))?.tracking_number).toBe(booked[0].trackingNumber);

    const events = await service.published(orderId);
    expect(events.map((event) => event.type)).toEqual(['shipping.scheduled']);
    expect(events[0]).toMatchObject({ causationId: authorized.id, correlationId: `test-${orderId}`, data: { orderId, trackingNumber: booked[0].trackingNumber } });

    const view = await service.app.get(QueryClient).request(GetShipmentByOrder, { orderId }, CALLERS.askedBy('alice'));
    expect(view).toMatchObject({ orderId, status: 'SCHEDULED', trackingNumber: booked[0].trackingNumber });
  }, 60_000);

  it("shows the carrier's circuit breaker on /metrics", async () => {
    const metrics = await service.app.get(Registry).metrics();
    expect(metrics).toMatch(/^orders_circuit_breaker_state\{[^}]*dependency="carrier"[^}]*\} 0$/m);
  });

  it.each([
    ['does not serve the destination', { ...BERLIN, city: 'McMurdo Station', country: 'AQ' }, 'UNSUPPORTED_DESTINATION'],
    ['refuses the address as one it cannot deliver to', { ...BERLIN, postalCode: '1011' }, 'ADDRESS_REJECTED'],
  ])(
    'fails the shipment when the carrier %s, and dead-letters nothing',
    async (_case, address, reason) => {
      const orderId = randomUUID();
      await service.publish(orderPlaced(orderId, address));
      await waitForStatus(orderId, 'REQUESTED');
      await service.publish(paymentAuthorized(orderId));
      await waitForStatus(orderId, 'FAILED');

      const events = await service.published(orderId);
      expect(events.map((event) => event.type)).toEqual(['shipping.failed']);
      expect(events[0].data).toMatchObject({ orderId, reason });
      expect(await bookedAtCarrier(carrierUrl, orderId)).toEqual([]);
      expect((await shipmentOf(service, orderId))?.tracking_number).toBeNull();
      expect((await service.app.get(DeadLetters).list({ limit: 100 })).deadLetters).toEqual([]);
    },
    60_000,
  );

  it('books a payment that arrives before the order it belongs to', async () => {
    const orderId = randomUUID();
    await service.publish(paymentAuthorized(orderId));
    // Nothing to book yet: the handler fails and JetStream redelivers with backoff.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await shipmentOf(service, orderId)).toBeUndefined();
    expect(await bookedAtCarrier(carrierUrl, orderId)).toEqual([]);

    await service.publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'SCHEDULED');
    expect((await service.published(orderId)).map((event) => event.type)).toEqual(['shipping.scheduled']);
    expect(await bookedAtCarrier(carrierUrl, orderId)).toHaveLength(1);
  }, 60_000);

  it('answers NOT_FOUND for an order it has no shipment for', async () => {
    await expect(service.app.get(QueryClient).request(GetShipmentByOrder, { orderId: randomUUID() }, CALLERS.askedBy('alice'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
