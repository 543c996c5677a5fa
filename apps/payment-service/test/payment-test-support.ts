import { LocalCallerTokens } from '@orders/caller-tokens';
import { CancellationReason, InventoryReserved, OrderCancelled, OrderPlaced, ShippingFailed, ShippingScheduled } from '@orders/contracts';
import { runMigrations } from '@orders/persistence';
import type { PaymentLedger } from '@orders/provider-simulators';
import { createApp } from '@orders/service-runtime';
import { ServiceTestBed, startServiceTestBed, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { PaymentModule } from '../src/app.module';
import { PaymentConfig, SERVICE_NAME } from '../src/config';
import { paymentDatabase } from '../src/infrastructure/database';

export const TOTAL = { amount: 2500, currency: 'EUR' };

/** The durable consumers payment-service creates, as [stream, consumer]. */
export const CONSUMERS = {
  orderPlaced: ['ORDER', `${SERVICE_NAME}-order-placed`],
  inventoryReserved: ['INVENTORY', `${SERVICE_NAME}-inventory-reserved`],
  shippingScheduled: ['SHIPPING', `${SERVICE_NAME}-shipping-scheduled`],
  shippingFailed: ['SHIPPING', `${SERVICE_NAME}-shipping-failed`],
  orderCancelled: ['ORDER', `${SERVICE_NAME}-order-cancelled`],
} as const;

const causation = (orderId: string) => ({ correlationId: `test-${orderId}` });

export function orderPlaced(orderId: string, paymentToken = 'tok_visa') {
  return OrderPlaced.create(
    {
      orderId,
      customerId: 'customer-1',
      items: [{ sku: 'SKU-MUG', quantity: 2 }],
      shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      paymentToken,
    },
    causation(orderId),
  );
}

/** Two mugs reserved for the order at `total`. */
export function inventoryReserved(orderId: string, total = TOTAL) {
  return InventoryReserved.create(
    {
      orderId,
      reservationId: randomUUID(),
      lines: [{ sku: 'SKU-MUG', quantity: 2, unitPrice: { amount: total.amount / 2, currency: total.currency } }],
      total,
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    },
    causation(orderId),
  );
}

export function shippingScheduled(orderId: string) {
  return ShippingScheduled.create({ orderId, shipmentId: randomUUID(), trackingNumber: 'TRK0123456789' }, causation(orderId));
}

export function shippingFailed(orderId: string) {
  return ShippingFailed.create({ orderId, shipmentId: randomUUID(), reason: 'UNSUPPORTED_DESTINATION' }, causation(orderId));
}

export function orderCancelled(orderId: string, reason: CancellationReason) {
  return OrderCancelled.create({ orderId, reason }, causation(orderId));
}

/** Stands in for the gateway's key pair: queries to the service carry tokens from it (`CALLERS.askedBy(...)`). */
export const CALLERS = new LocalCallerTokens();

/** payment-service wired as main.ts wires it, calling the provider at `providerUrl`, with `settings` such as PROVIDER_TIMEOUT_MS. */
export function startPaymentService(providerUrl: string, settings: Partial<PaymentConfig> = {}): Promise<ServiceTestBed> {
  return startServiceTestBed(SERVICE_NAME, async ({ databaseUrl, natsUrl }) => {
    await runMigrations(paymentDatabase(databaseUrl));
    const config = {
      ...settings,
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      PAYMENT_PROVIDER_URL: providerUrl,
      PORT: 0,
      HOST: '127.0.0.1',
      CALLER_TOKEN_PUBLIC_KEY: CALLERS.keys.publicKey,
    };
    return createApp(PaymentModule.forRoot(config), { name: SERVICE_NAME, port: 0, host: '127.0.0.1', consumesMessages: true, callers: CALLERS.verifier });
  });
}

export interface PaymentRow {
  status: string;
  amount: number | null;
  currency: string | null;
  token: string | null;
  provider_authorization_id: string | null;
}

export async function paymentOf(service: ServiceTestBed, orderId: string): Promise<PaymentRow | undefined> {
  const rows = await service.query<PaymentRow>(`SELECT status, amount, currency, token, provider_authorization_id FROM payments WHERE order_id = $1`, [orderId]);
  return rows[0];
}

export async function waitForPaymentStatus(service: ServiceTestBed, orderId: string, status: string): Promise<void> {
  await waitFor(async () => (await paymentOf(service, orderId))?.status === status, { timeoutMs: 30_000, description: `payment of ${orderId} to be ${status}` });
}

/** Everything the provider holds for the order: it keys its ledger by the reference, our order id. */
export async function ledgerOf(providerUrl: string, orderId: string): Promise<PaymentLedger> {
  return (await (await fetch(`${providerUrl}/v1/ledger?reference=${orderId}`)).json()) as PaymentLedger;
}

/** What the customer is out of pocket: captured minus refunded. */
export function netCharge(ledger: PaymentLedger): number {
  const sum = (entries: Array<{ amount: number }>) => entries.reduce((total, entry) => total + entry.amount, 0);
  return sum(ledger.captures) - sum(ledger.refunds);
}
