import { jetstream, JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { EventEnvelope, eventSubject, GetShipmentByOrder, OrderPlaced, PaymentAuthorized } from '@orders/contracts';
import { QueryClient } from '@orders/messaging';
import { runMigrations } from '@orders/persistence';
// The simulator is the real carrier API in-process; tests may reach for tools, production code never does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { close, createCarrierSimulator, listen, Shipment } from '@orders/provider-simulators';
import { createApp } from '@orders/service-runtime';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { ShippingModule } from '../src/app.module';
import { SERVICE_NAME } from '../src/config';
import { shippingDatabase } from '../src/infrastructure/database';

const BERLIN = { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

function orderPlaced(orderId: string, shippingAddress = BERLIN) {
  return OrderPlaced.create(
    { orderId, customerId: 'customer-1', items: [{ sku: 'SKU-MUG', quantity: 1 }], shippingAddress, paymentToken: 'tok_visa' },
    { correlationId: `test-${orderId}` },
  );
}

function paymentAuthorized(orderId: string) {
  return PaymentAuthorized.create({ orderId, paymentId: randomUUID(), amount: { amount: 1250, currency: 'EUR' } }, { correlationId: `test-${orderId}` });
}

describe('shipping-service on real Postgres, NATS JetStream and the carrier simulator', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let carrier: Server;
  let carrierUrl: string;
  let app: INestApplication;
  let dataSource: DataSource;
  let client: NatsConnection;
  let js: JetStreamClient;

  /** Publishes like a relay would; a distinct `msgID` gets past JetStream's de-duplication, as a redelivery does. */
  const publish = async (event: EventEnvelope, msgID = event.id): Promise<void> => {
    await js.publish(eventSubject(event.type, event.version), JSON.stringify(event), { msgID });
  };

  const shipmentOf = async (orderId: string): Promise<{ status: string; tracking_number: string | null; address: unknown } | undefined> =>
    (await dataSource.query(`SELECT status, tracking_number, address FROM shipments WHERE order_id = $1`, [orderId]))[0];

  const published = async (orderId: string): Promise<EventEnvelope[]> =>
    (await dataSource.query(`SELECT payload FROM outbox WHERE payload -> 'data' ->> 'orderId' = $1 ORDER BY seq`, [orderId])).map(
      (row: { payload: EventEnvelope }) => row.payload,
    );

  const bookedAtCarrier = async (orderId: string): Promise<Shipment[]> =>
    ((await (await fetch(`${carrierUrl}/v1/shipments?reference=${orderId}`)).json()) as { shipments: Shipment[] }).shipments;

  const waitForStatus = (orderId: string, status: string) =>
    waitFor(async () => (await shipmentOf(orderId))?.status === status, { timeoutMs: 15_000, description: `shipment of ${orderId} to be ${status}` });

  beforeAll(async () => {
    carrier = createCarrierSimulator();
    [database, nats, carrierUrl] = await Promise.all([createTestDatabase('shipping-service'), startPrivateNatsServer(), listen(carrier)]);
    await runMigrations(shippingDatabase(database.url));
    const config = { DATABASE_URL: database.url, NATS_URL: nats.url, CARRIER_URL: carrierUrl, PORT: 0, HOST: '127.0.0.1' };
    app = await createApp(ShippingModule.forRoot(config), { name: SERVICE_NAME, port: 0, host: '127.0.0.1', consumesMessages: true });
    await app.startAllMicroservices();
    await app.init();
    dataSource = app.get(DataSource);
    client = await connect({ servers: nats.url });
    js = jetstream(client);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await nats?.dispose();
    await database?.drop();
    if (carrier?.listening) await close(carrier);
  });

  it('books one parcel for a paid order, even when the payment event arrives twice', async () => {
    const orderId = randomUUID();
    await publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'REQUESTED');
    expect((await shipmentOf(orderId))?.address).toEqual(BERLIN);

    const authorized = paymentAuthorized(orderId);
    await publish(authorized, `${authorized.id}-a`);
    await publish(authorized, `${authorized.id}-b`);
    await waitForStatus(orderId, 'SCHEDULED');
    const jsm = await jetstreamManager(client);
    await waitFor(
      async () => {
        const info = await jsm.consumers.info('PAYMENT', `${SERVICE_NAME}-payment-authorized`);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 10_000, description: 'both deliveries to be acked' },
    );

    const booked = await bookedAtCarrier(orderId);
    expect(booked).toEqual([expect.objectContaining({ status: 'booked', address: BERLIN })]);
    expect((await shipmentOf(orderId))?.tracking_number).toBe(booked[0].trackingNumber);

    const events = await published(orderId);
    expect(events.map((event) => event.type)).toEqual(['shipping.scheduled']);
    expect(events[0]).toMatchObject({ causationId: authorized.id, correlationId: `test-${orderId}`, data: { orderId, trackingNumber: booked[0].trackingNumber } });

    const view = await app.get(QueryClient).request(GetShipmentByOrder, { orderId });
    expect(view).toMatchObject({ orderId, status: 'SCHEDULED', trackingNumber: booked[0].trackingNumber });
  }, 60_000);

  it('fails the shipment when the carrier does not serve the destination', async () => {
    const orderId = randomUUID();
    await publish(orderPlaced(orderId, { ...BERLIN, city: 'McMurdo Station', country: 'AQ' }));
    await waitForStatus(orderId, 'REQUESTED');
    await publish(paymentAuthorized(orderId));
    await waitForStatus(orderId, 'FAILED');

    const events = await published(orderId);
    expect(events.map((event) => event.type)).toEqual(['shipping.failed']);
    expect(events[0].data).toMatchObject({ orderId, reason: 'UNSUPPORTED_DESTINATION' });
    expect(await bookedAtCarrier(orderId)).toEqual([]);
    expect((await shipmentOf(orderId))?.tracking_number).toBeNull();
  }, 60_000);

  it('books a payment that arrives before the order it belongs to', async () => {
    const orderId = randomUUID();
    await publish(paymentAuthorized(orderId));
    // Nothing to book yet: the handler fails and JetStream redelivers with backoff.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await shipmentOf(orderId)).toBeUndefined();
    expect(await bookedAtCarrier(orderId)).toEqual([]);

    await publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'SCHEDULED');
    expect((await published(orderId)).map((event) => event.type)).toEqual(['shipping.scheduled']);
    expect(await bookedAtCarrier(orderId)).toHaveLength(1);
  }, 60_000);

  it('answers NOT_FOUND for an order it has no shipment for', async () => {
    await expect(app.get(QueryClient).request(GetShipmentByOrder, { orderId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
