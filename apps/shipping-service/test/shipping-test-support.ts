import { LocalCallerTokens } from '@orders/caller-tokens';
import { OrderCancelled, OrderPlaced, PaymentAuthorized, ShippingAddressDto } from '@orders/contracts';
import { runMigrations } from '@orders/persistence';
import type { Shipment } from '@orders/provider-simulators';
import { createApp } from '@orders/service-runtime';
import { ServiceTestBed, startServiceTestBed, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { ShippingModule } from '../src/app.module';
import { SERVICE_NAME, ShippingConfig } from '../src/config';
import { shippingDatabase } from '../src/infrastructure/database';

export const BERLIN = { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

/** The durable consumers shipping-service creates, as [stream, consumer]. */
export const CONSUMERS = {
  orderPlaced: ['ORDER', `${SERVICE_NAME}-order-placed`],
  paymentAuthorized: ['PAYMENT', `${SERVICE_NAME}-payment-authorized`],
  orderCancelled: ['ORDER', `${SERVICE_NAME}-order-cancelled`],
} as const;

const causation = (orderId: string) => ({ correlationId: `test-${orderId}` });

export function orderPlaced(orderId: string, shippingAddress: ShippingAddressDto = BERLIN) {
  return OrderPlaced.create({ orderId, customerId: 'customer-1', items: [{ sku: 'SKU-MUG', quantity: 1 }], shippingAddress, paymentToken: 'tok_visa' }, causation(orderId));
}

export function paymentAuthorized(orderId: string) {
  return PaymentAuthorized.create({ orderId, paymentId: randomUUID(), amount: { amount: 1250, currency: 'EUR' } }, causation(orderId));
}

export function orderCancelled(orderId: string) {
  return OrderCancelled.create({ orderId, reason: 'CUSTOMER_CANCELLED' }, causation(orderId));
}

/** Stands in for the gateway's key pair: queries to the service carry tokens from it (`CALLERS.askedBy(...)`). */
export const CALLERS = new LocalCallerTokens();

/** shipping-service wired as main.ts wires it, calling the carrier at `carrierUrl`, with `settings` such as PROVIDER_TIMEOUT_MS. */
export function startShippingService(carrierUrl: string, settings: Partial<ShippingConfig> = {}): Promise<ServiceTestBed> {
  return startServiceTestBed(SERVICE_NAME, async ({ databaseUrl, natsUrl }) => {
    await runMigrations(shippingDatabase(databaseUrl));
    const config = {
      ...settings,
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      CARRIER_URL: carrierUrl,
      PORT: 0,
      HOST: '127.0.0.1',
      CALLER_TOKEN_PUBLIC_KEY: CALLERS.keys.publicKey,
    };
    return createApp(ShippingModule.forRoot(config), { name: SERVICE_NAME, port: 0, host: '127.0.0.1', consumesMessages: true, callers: CALLERS.verifier });
  });
}

export interface ShipmentRow {
  status: string;
  tracking_number: string | null;
  carrier_shipment_id: string | null;
  booking_cancelled: boolean;
  address: unknown;
}

export async function shipmentOf(service: ServiceTestBed, orderId: string): Promise<ShipmentRow | undefined> {
  const rows = await service.query<ShipmentRow>(`SELECT status, tracking_number, carrier_shipment_id, booking_cancelled, address FROM shipments WHERE order_id = $1`, [orderId]);
  return rows[0];
}

export async function waitForShipment(service: ServiceTestBed, orderId: string, expected: Partial<ShipmentRow>): Promise<void> {
  await waitFor(
    async () => {
      const row = await shipmentOf(service, orderId);
      return row && Object.entries(expected).every(([column, value]) => row[column as keyof ShipmentRow] === value);
    },
    { timeoutMs: 30_000, description: `shipment of ${orderId} to be ${JSON.stringify(expected)}` },
  );
}

/** The parcels the carrier holds for the order: it keys them by the reference, our order id. */
export async function bookedAtCarrier(carrierUrl: string, orderId: string): Promise<Shipment[]> {
  return ((await (await fetch(`${carrierUrl}/v1/shipments?reference=${orderId}`)).json()) as { shipments: Shipment[] }).shipments;
}
