import { OrderView } from '@orders/contracts';
import { RunningStack, startStack } from '@orders/local-stack';
import { PrivateNatsServer, startPrivateNatsServer, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';

const SAGA_STEPS = [
  'ORDER_PLACED',
  'INVENTORY_RESERVED',
  'PAYMENT_AUTHORIZED',
  'SHIPMENT_SCHEDULED',
  'PAYMENT_CAPTURED',
  'INVENTORY_COMMITTED',
  'ORDER_CONFIRMED',
];

const address = { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' };

interface Ledger {
  authorizations: Array<{ status: string; amount: number; currency: string }>;
  captures: Array<{ amount: number }>;
}

interface Product {
  sku: string;
  price: { amount: number; currency: string };
  available: number;
}

describe('an order placed through the gateway, across all services, on real Postgres and NATS JetStream', () => {
  let nats: PrivateNatsServer;
  let stack: RunningStack;

  async function api<T = unknown>(path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.body) headers.set('content-type', 'application/json');
    const response = await fetch(`${stack.gatewayUrl}${path}`, { ...init, headers });
    return { status: response.status, body: (await response.json()) as T, headers: response.headers };
  }

  async function login(userId: string): Promise<string> {
    const { status, body } = await api<{ accessToken: string }>('/api/v1/auth/dev-login', {
      method: 'POST',
      body: JSON.stringify({ userId, roles: ['customer'] }),
    });
    expect(status).toBe(200);
    return body.accessToken;
  }

  async function products(token: string): Promise<Map<string, Product>> {
    const { body } = await api<{ products: Product[] }>('/api/v1/products', { token });
    return new Map(body.products.map((product) => [product.sku, product]));
  }

  function placeOrder(token: string, idempotencyKey: string, order: object) {
    return api<{ orderId: string; status: string }>('/api/v1/orders', {
      method: 'POST',
      token,
      headers: { 'idempotency-key': idempotencyKey },
      body: JSON.stringify(order),
    });
  }

  /** What the payment provider simulator really recorded for an order. */
  async function providerLedger(orderId: string): Promise<Ledger> {
    return (await fetch(`${stack.urls['payment-provider-sim']}/v1/ledger?reference=${orderId}`)).json() as Promise<Ledger>;
  }

  function settled(token: string, orderId: string): Promise<OrderView> {
    return waitFor(
      async () => {
        const { body } = await api<OrderView>(`/api/v1/orders/${orderId}`, { token });
        return body.status === 'PENDING' ? undefined : body;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `order ${orderId} to leave PENDING` },
    );
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    stack = await startStack({
      logs: 'capture',
      freePorts: true,
      databasePrefix: `e2e_${randomUUID().slice(0, 8)}`,
      dropDatabasesOnStop: true,
      environment: { ...process.env, NATS_URL: nats.url },
      readyTimeoutMs: 240_000,
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await nats?.dispose();
  }, 60_000);

  it('goes PENDING → CONFIRMED: stock committed, payment captured once for the total, shipment booked, every step in the timeline', async () => {
    const token = await login('alice');
    const before = await products(token);
    const order = { items: [{ sku: 'SKU-TSHIRT', quantity: 2 }, { sku: 'SKU-MUG', quantity: 1 }], shippingAddress: address, payment: { token: 'tok_visa' } };
    const key = randomUUID();

    const placed = await placeOrder(token, key, order);
    expect(placed.status).toBe(202);
    expect(placed.body.status).toBe('PENDING');
    expect(placed.headers.get('location')).toBe(`/api/v1/orders/${placed.body.orderId}`);
    const { orderId } = placed.body;

    const confirmed = await settled(token, orderId);
    const expectedTotal = 2 * before.get('SKU-TSHIRT')!.price.amount + before.get('SKU-MUG')!.price.amount;
    expect(confirmed).toMatchObject({ orderId, status: 'CONFIRMED', cancellationReason: null, total: { amount: expectedTotal, currency: 'EUR' } });
    expect(confirmed.timeline.map((entry) => entry.type)).toEqual(SAGA_STEPS);

    const after = await products(token);
    expect(after.get('SKU-TSHIRT')!.available).toBe(before.get('SKU-TSHIRT')!.available - 2);
    expect(after.get('SKU-MUG')!.available).toBe(before.get('SKU-MUG')!.available - 1);

    const ledger = await providerLedger(orderId);
    expect(ledger.authorizations).toHaveLength(1);
    expect(ledger.authorizations[0]).toMatchObject({ status: 'approved', amount: expectedTotal, currency: 'EUR' });
    expect(ledger.captures).toHaveLength(1);
    expect(ledger.captures[0]).toMatchObject({ amount: expectedTotal });

    const shipments = (await (await fetch(`${stack.urls['carrier-sim']}/v1/shipments?reference=${orderId}`)).json()) as { shipments: Array<{ trackingNumber: string }> };
    expect(shipments.shipments).toHaveLength(1);

    const web = await api<{ order: OrderView; payment: { status: string }; shipment: { status: string; trackingNumber: string }; degraded: string[] }>(
      `/api/web/v1/orders/${orderId}`,
      { token },
    );
    expect(web.status).toBe(200);
    expect(web.body).toMatchObject({ payment: { status: 'CAPTURED' }, shipment: { status: 'SCHEDULED', trackingNumber: shipments.shipments[0].trackingNumber }, degraded: [] });

    const mobile = await api<{ items: Array<{ id: string; itemCount: number; status: string }> }>('/api/mobile/v1/orders', { token });
    expect(mobile.body.items).toContainEqual(expect.objectContaining({ id: orderId, status: 'CONFIRMED', itemCount: 3 }));

    // Retrying the same request with the same key returns the same order, not a new one.
    const retried = await placeOrder(token, key, order);
    expect(retried.status).toBe(202);
    expect(retried.body.orderId).toBe(orderId);

  });

  it('hides an order from other customers', async () => {
    const alice = await login('alice-2');
    const mallory = await login('mallory');
    const placed = await placeOrder(alice, randomUUID(), { items: [{ sku: 'SKU-CAP', quantity: 1 }], shippingAddress: address, payment: { token: 'tok_visa' } });
    expect(placed.status).toBe(202);
    const peek = await api<{ error: { code: string } }>(`/api/v1/orders/${placed.body.orderId}`, { token: mallory });
    expect(peek.status).toBe(404);
  });

  it('cancels the order with PAYMENT_DECLINED and never captures when the card is declined', async () => {
    const token = await login('bob');
    const placed = await placeOrder(token, randomUUID(), { items: [{ sku: 'SKU-HOODIE', quantity: 1 }], shippingAddress: address, payment: { token: 'tok_declined' } });
    const cancelled = await settled(token, placed.body.orderId);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
    const ledger = await providerLedger(placed.body.orderId);
    expect(ledger.captures).toHaveLength(0);
  });

  it('rejects an order for an unknown SKU with OUT_OF_STOCK and charges nothing', async () => {
    const token = await login('carol');
    const placed = await placeOrder(token, randomUUID(), { items: [{ sku: 'SKU-DOES-NOT-EXIST', quantity: 1 }], shippingAddress: address, payment: { token: 'tok_visa' } });
    const cancelled = await settled(token, placed.body.orderId);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
    const ledger = await providerLedger(placed.body.orderId);
    expect(ledger.authorizations).toHaveLength(0);
  });
});

