import { OrderView } from '@orders/contracts';
import { randomUUID } from 'node:crypto';
import { orderOf, platformForSuite } from './support/platform';

const SAGA_STEPS = ['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED', 'PAYMENT_CAPTURED', 'INVENTORY_COMMITTED', 'ORDER_CONFIRMED'];

interface Product {
  sku: string;
  price: { amount: number; currency: string };
  available: number;
}

describe('an order placed through the gateway, across all services, on real Postgres and NATS JetStream', () => {
  const platform = platformForSuite();

  async function products(token: string): Promise<Map<string, Product>> {
    const { body } = await platform.api<{ products: Product[] }>('/api/v1/products', { token });
    return new Map(body.products.map((product) => [product.sku, product]));
  }

  it('goes PENDING → CONFIRMED: stock committed, payment captured once for the total, shipment booked, every step in the timeline', async () => {
    const token = await platform.login('alice');
    const before = await products(token);
    const order = orderOf([
      { sku: 'SKU-TSHIRT', quantity: 2 },
      { sku: 'SKU-MUG', quantity: 1 },
    ]);
    const key = randomUUID();

    const placed = await platform.placeOrder(token, order, key);
    expect(placed.status).toBe(202);
    expect(placed.body.status).toBe('PENDING');
    expect(placed.headers.get('location')).toBe(`/api/v1/orders/${placed.body.orderId}`);
    const { orderId } = placed.body;

    // Confirming needs three of the steps; the other two may be recorded a moment later.
    const confirmed = await platform.orderWhere(token, orderId, (order) => order.timeline.length === SAGA_STEPS.length, 'to show every saga step');
    const expectedTotal = 2 * before.get('SKU-TSHIRT')!.price.amount + before.get('SKU-MUG')!.price.amount;
    expect(confirmed).toMatchObject({ orderId, status: 'CONFIRMED', cancellationReason: null, total: { amount: expectedTotal, currency: 'EUR' } });
    expect(confirmed.timeline.map((entry) => entry.type)).toEqual(SAGA_STEPS);

    const after = await products(token);
    expect(after.get('SKU-TSHIRT')!.available).toBe(before.get('SKU-TSHIRT')!.available - 2);
    expect(after.get('SKU-MUG')!.available).toBe(before.get('SKU-MUG')!.available - 1);

    const ledger = await platform.paymentLedger(orderId);
    expect(ledger.authorizations).toHaveLength(1);
    expect(ledger.authorizations[0]).toMatchObject({ status: 'approved', amount: expectedTotal, currency: 'EUR' });
    expect(ledger.captures).toHaveLength(1);
    expect(ledger.captures[0]).toMatchObject({ amount: expectedTotal });

    const shipments = await platform.shipments(orderId);
    expect(shipments).toHaveLength(1);

    const web = await platform.api<{ order: OrderView; payment: { status: string }; shipment: { status: string; trackingNumber: string }; degraded: string[] }>(
      `/api/web/v1/orders/${orderId}`,
      { token },
    );
    expect(web.status).toBe(200);
    expect(web.body).toMatchObject({ payment: { status: 'CAPTURED' }, shipment: { status: 'SCHEDULED', trackingNumber: shipments[0].trackingNumber }, degraded: [] });

    const mobile = await platform.api<{ items: Array<{ id: string; itemCount: number; status: string }> }>('/api/mobile/v1/orders', { token });
    expect(mobile.body.items).toContainEqual(expect.objectContaining({ id: orderId, status: 'CONFIRMED', itemCount: 3 }));

    // Retrying the same request with the same key returns the same order, not a new one.
    const retried = await platform.placeOrder(token, order, key);
    expect(retried.status).toBe(202);
    expect(retried.body.orderId).toBe(orderId);
  });

  it('hides an order from other customers', async () => {
    const alice = await platform.login('alice-2');
    const mallory = await platform.login('mallory');
    const orderId = await platform.place(alice, orderOf([{ sku: 'SKU-CAP', quantity: 1 }]));
    const peek = await platform.api<{ error: { code: string } }>(`/api/v1/orders/${orderId}`, { token: mallory });
    expect(peek.status).toBe(404);
    const cancel = await platform.cancelOrder(mallory, orderId);
    expect(cancel.status).toBe(404);
  });
});
