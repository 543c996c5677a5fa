import { jetstream, JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { INestApplication } from '@nestjs/common';
import { EventEnvelope, eventSubject, GetPaymentByOrder, InventoryReserved, OrderPlaced, ShippingScheduled } from '@orders/contracts';
import { QueryClient } from '@orders/messaging';
import { runMigrations } from '@orders/persistence';
// The simulator is the real provider API in-process; tests may reach for tools, production code never does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { close, createPaymentProviderSimulator, listen, PaymentLedger } from '@orders/provider-simulators';
import { createApp } from '@orders/service-runtime';
import { createTestDatabase, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { PaymentModule } from '../src/app.module';
import { SERVICE_NAME } from '../src/config';
import { paymentDatabase } from '../src/infrastructure/database';

const TOTAL = { amount: 2500, currency: 'EUR' };

function orderPlaced(orderId: string, paymentToken = 'tok_visa') {
  return OrderPlaced.create(
    {
      orderId,
      customerId: 'customer-1',
      items: [{ sku: 'SKU-MUG', quantity: 2 }],
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      paymentToken,
    },
    { correlationId: `test-${orderId}` },
  );
}

function inventoryReserved(orderId: string) {
  return InventoryReserved.create(
    {
      orderId,
      reservationId: randomUUID(),
      lines: [{ sku: 'SKU-MUG', quantity: 2, unitPrice: { amount: 1250, currency: 'EUR' } }],
      total: TOTAL,
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    },
    { correlationId: `test-${orderId}` },
  );
}

function shippingScheduled(orderId: string) {
  return ShippingScheduled.create({ orderId, shipmentId: randomUUID(), trackingNumber: 'TRK0123456789' }, { correlationId: `test-${orderId}` });
}

describe('payment-service on real Postgres, NATS JetStream and the payment provider simulator', () => {
  let database: TestDatabase;
  let nats: PrivateNatsServer;
  let provider: Server;
  let providerUrl: string;
  let app: INestApplication;
  let dataSource: DataSource;
  let client: NatsConnection;
  let js: JetStreamClient;

  /** Publishes like a relay would; a distinct `msgID` gets past JetStream's de-duplication, as a redelivery does. */
  const publish = async (event: EventEnvelope, msgID = event.id): Promise<void> => {
    await js.publish(eventSubject(event.type, event.version), JSON.stringify(event), { msgID });
  };

  const paymentOf = async (orderId: string): Promise<{ status: string; amount: number | null; currency: string | null } | undefined> =>
    (await dataSource.query(`SELECT status, amount, currency FROM payments WHERE order_id = $1`, [orderId]))[0];

  const published = async (orderId: string): Promise<EventEnvelope[]> =>
    (await dataSource.query(`SELECT payload FROM outbox WHERE payload -> 'data' ->> 'orderId' = $1 ORDER BY seq`, [orderId])).map(
      (row: { payload: EventEnvelope }) => row.payload,
    );

  const ledgerOf = async (orderId: string): Promise<PaymentLedger> => (await (await fetch(`${providerUrl}/v1/ledger?reference=${orderId}`)).json()) as PaymentLedger;

  /** Every message of the consumer was handled and acked, duplicates included. */
  const drained = async (stream: string, consumer: string): Promise<void> => {
    const jsm = await jetstreamManager(client);
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(stream, consumer);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { timeoutMs: 10_000, description: `${consumer} to ack everything` },
    );
  };

  const waitForStatus = (orderId: string, status: string) =>
    waitFor(async () => (await paymentOf(orderId))?.status === status, { timeoutMs: 15_000, description: `payment of ${orderId} to be ${status}` });

  beforeAll(async () => {
    provider = createPaymentProviderSimulator();
    [database, nats, providerUrl] = await Promise.all([createTestDatabase('payment-service'), startPrivateNatsServer(), listen(provider)]);
    await runMigrations(paymentDatabase(database.url));
    const config = { DATABASE_URL: database.url, NATS_URL: nats.url, PAYMENT_PROVIDER_URL: providerUrl, PORT: 0, HOST: '127.0.0.1' };
    app = await createApp(PaymentModule.forRoot(config), { name: SERVICE_NAME, port: 0, host: '127.0.0.1', consumesMessages: true });
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
    if (provider?.listening) await close(provider);
  });

  it('authorizes the reserved total, captures it once shipped, and charges exactly once despite duplicates', async () => {
    const orderId = randomUUID();
    await publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'PENDING');

    const reserved = inventoryReserved(orderId);
    await publish(reserved, `${reserved.id}-a`);
    await publish(reserved, `${reserved.id}-b`);
    await waitForStatus(orderId, 'AUTHORIZED');
    await drained('INVENTORY', `${SERVICE_NAME}-inventory-reserved`);

    // Two different events for the same shipment (a replay with a new id): the payment state, not the inbox, stops the second.
    await publish(shippingScheduled(orderId));
    await publish(shippingScheduled(orderId));
    await waitForStatus(orderId, 'CAPTURED');
    await drained('SHIPPING', `${SERVICE_NAME}-shipping-scheduled`);

    expect(await paymentOf(orderId)).toEqual({ status: 'CAPTURED', amount: 2500, currency: 'EUR' });
    const ledger = await ledgerOf(orderId);
    expect(ledger.authorizations).toEqual([expect.objectContaining({ status: 'approved', amount: 2500, currency: 'EUR' })]);
    expect(ledger.captures).toEqual([expect.objectContaining({ authorizationId: ledger.authorizations[0].id, amount: 2500 })]);

    const events = await published(orderId);
    expect(events.map((event) => event.type)).toEqual(['payment.authorized', 'payment.captured']);
    expect(events[0]).toMatchObject({ causationId: reserved.id, correlationId: `test-${orderId}`, data: { orderId, amount: TOTAL } });
    expect(events[1].data).toMatchObject({ orderId, amount: TOTAL });

    const view = await app.get(QueryClient).request(GetPaymentByOrder, { orderId });
    expect(view).toMatchObject({ orderId, status: 'CAPTURED', amount: TOTAL });
  }, 60_000);

  it('records a declined card as a failed payment and never captures it', async () => {
    const orderId = randomUUID();
    await publish(orderPlaced(orderId, 'tok_declined'));
    await waitForStatus(orderId, 'PENDING');
    await publish(inventoryReserved(orderId));
    await waitForStatus(orderId, 'DECLINED');

    const events = await published(orderId);
    expect(events.map((event) => event.type)).toEqual(['payment.failed']);
    expect(events[0].data).toMatchObject({ orderId, reason: 'DECLINED' });
    const ledger = await ledgerOf(orderId);
    expect(ledger.authorizations).toEqual([expect.objectContaining({ status: 'declined', amount: 2500 })]);
    expect(ledger.captures).toEqual([]);
  }, 60_000);

  it('authorizes a reservation that arrives before the order it belongs to', async () => {
    const orderId = randomUUID();
    await publish(inventoryReserved(orderId));
    // Nothing to authorize yet: the handler fails and JetStream redelivers with backoff.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await paymentOf(orderId)).toBeUndefined();
    expect((await ledgerOf(orderId)).authorizations).toEqual([]);

    await publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'AUTHORIZED');
    expect((await published(orderId)).map((event) => event.type)).toEqual(['payment.authorized']);
    expect((await ledgerOf(orderId)).authorizations).toHaveLength(1);
  }, 60_000);

  it('keeps retrying while the provider is unreachable, and authorizes once it is back', async () => {
    const orderId = randomUUID();
    await publish(orderPlaced(orderId));
    await waitForStatus(orderId, 'PENDING');
    const jsm = await jetstreamManager(client);
    // Counts every delivery, redeliveries included.
    const deliveries = async () => (await jsm.consumers.info('INVENTORY', `${SERVICE_NAME}-inventory-reserved`)).delivered.consumer_seq;
    const before = await deliveries();
    await close(provider);
    try {
      await publish(inventoryReserved(orderId));
      await waitFor(async () => (await deliveries()) >= before + 2, { timeoutMs: 10_000, description: 'the reservation to be redelivered' });
      expect(await paymentOf(orderId)).toMatchObject({ status: 'PENDING' });
      expect(await published(orderId)).toEqual([]);
    } finally {
      await listen(provider, Number(new URL(providerUrl).port));
    }
    await waitForStatus(orderId, 'AUTHORIZED');
    expect((await ledgerOf(orderId)).authorizations).toHaveLength(1);
  }, 60_000);

  it('answers NOT_FOUND for an order it has no payment for', async () => {
    await expect(app.get(QueryClient).request(GetPaymentByOrder, { orderId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
