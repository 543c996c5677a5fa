import { waitFor } from '@orders/testing';
import { orderOf, platformForSuite } from './support/platform';

const BREAKER_THRESHOLD = 3;
/** `orders_circuit_breaker_state` values. */
const CLOSED = '0';
const OPEN = '2';
/** A generous bound: `{id, status, total, itemCount, updatedAt}` is about 150 bytes of JSON. */
const MAX_BYTES_PER_ORDER_SUMMARY = 200;

interface OrderDetails {
  order: { orderId: string; status: string };
  payment: { orderId: string } | null;
  shipment: { orderId: string } | null;
  products: unknown[] | null;
  degraded: string[];
}

/**
 * With shipping-service down, the web BFF still answers the order page with
 * the shipment degraded, its circuit to shipping-service opens and then fails fast, and it
 * closes again once shipping-service is back; the mobile BFF, which does not need
 * shipping-service, stays up throughout with its lean payloads.
 */
describe('a BFF dependency down, end to end', () => {
  const platform = platformForSuite({
    env: {
      // No retries, so each page view is one failure; a short half-open delay, so recovery is quick.
      'web-bff': { QUERY_RETRY_ATTEMPTS: '1', QUERY_BREAKER_THRESHOLD: String(BREAKER_THRESHOLD), QUERY_BREAKER_WINDOW_MS: '60000', QUERY_BREAKER_HALF_OPEN_MS: '2000' },
    },
  });

  /** A GET through the gateway, with the size of the body as it went over the wire. */
  async function get<T>(path: string, token: string): Promise<{ status: number; body: T; bytes: number }> {
    const response = await fetch(`${platform.stack.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const raw = Buffer.from(await response.arrayBuffer());
    return { status: response.status, body: JSON.parse(raw.toString('utf8')) as T, bytes: raw.length };
  }

  const orderPage = (token: string, orderId: string) => get<OrderDetails>(`/api/web/v1/orders/${orderId}`, token);

  async function breakerState(dependency: string): Promise<string | undefined> {
    const metrics = await (await fetch(`${platform.stack.urls['web-bff']}/metrics`)).text();
    return new RegExp(`^orders_circuit_breaker_state\\{dependency="${dependency}",service="web-bff"\\} (\\d)$`, 'm').exec(metrics)?.[1];
  }

  /** The mobile BFF's list and one order, 200 and lean; prints the bytes per order summary. */
  async function expectMobileUpAndLean(token: string, orderIds: string[], when: string): Promise<void> {
    const list = await get<{ items: Array<{ id: string }> }>('/api/mobile/v1/orders', token);
    expect(list.status).toBe(200);
    expect(list.body.items.map((item) => item.id).sort()).toEqual([...orderIds].sort());
    const one = await get<Record<string, unknown>>(`/api/mobile/v1/orders/${orderIds[0]}`, token);
    expect(one.status).toBe(200);
    expect(Object.keys(one.body).sort()).toEqual(['id', 'itemCount', 'status', 'total', 'updatedAt']);

    const perSummary = Math.round(list.bytes / orderIds.length);
    console.log(`mobile BFF ${when}: ${list.bytes} bytes for ${orderIds.length} order summaries (${perSummary} per summary), ${one.bytes} bytes for one order`);
    expect(perSummary).toBeLessThan(MAX_BYTES_PER_ORDER_SUMMARY);
    expect(one.bytes).toBeLessThan(MAX_BYTES_PER_ORDER_SUMMARY);
  }

  it('15: shipping-service down → web BFF degrades the shipment and its breaker opens and fails fast; mobile BFF stays up; back up → recovers', async () => {
    const token = await platform.login('degraded-customer');
    const orderIds = await Promise.all(
      [
        orderOf([{ sku: 'SKU-MUG', quantity: 2 }]),
        orderOf([
          { sku: 'SKU-CAP', quantity: 1 },
          { sku: 'SKU-TSHIRT', quantity: 3 },
        ]),
        orderOf([{ sku: 'SKU-HOODIE', quantity: 1 }]),
      ].map((order) => platform.place(token, order)),
    );
    for (const orderId of orderIds) await platform.orderWhere(token, orderId, (order) => order.status === 'CONFIRMED', 'to be confirmed');
    const [orderId] = orderIds;

    const healthy = await orderPage(token, orderId);
    expect(healthy).toMatchObject({ status: 200, body: { order: { orderId, status: 'CONFIRMED' }, payment: { orderId }, shipment: { orderId }, degraded: [] } });
    const fullPage = healthy.bytes;
    await expectMobileUpAndLean(token, orderIds, 'with every service up');

    await platform.stack.stopProcess('shipping-service');
    try {
      for (let view = 1; view <= BREAKER_THRESHOLD; view++) {
        const degraded = await orderPage(token, orderId);
        expect(degraded).toMatchObject({ status: 200, body: { order: { orderId }, payment: { orderId }, shipment: null, degraded: ['shipment'] } });
        expect(degraded.body.products).toEqual(expect.any(Array));
      }
      expect(await breakerState('shipping-service')).toBe(OPEN);
      expect(await breakerState('order-service')).toBe(CLOSED);

      const failedFast = await orderPage(token, orderId);
      expect(failedFast).toMatchObject({ status: 200, body: { order: { orderId }, payment: { orderId }, shipment: null, degraded: ['shipment'] } });
      // The web BFF says why the shipment is missing: it did not ask, the circuit was open.
      await waitFor(
        async () => platform.stack.logs('web-bff').some((line) => line.includes(`Order ${orderId}: shipment unavailable: The circuit to shipping-service is open`)) || undefined,
        { timeoutMs: 5_000, description: 'the web BFF to log the open circuit' },
      );

      await expectMobileUpAndLean(token, orderIds, 'with shipping-service down');
      console.log(`web BFF order page: ${fullPage} bytes with every service up`);
    } finally {
      await platform.stack.startProcess('shipping-service');
    }

    const recovered = await waitFor(
      async () => {
        const page = await orderPage(token, orderId);
        return page.body.degraded.length === 0 ? page : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'the half-open probe to find shipping-service back' },
    );
    expect(recovered).toMatchObject({ status: 200, body: { shipment: { orderId }, degraded: [] } });
    expect(await breakerState('shipping-service')).toBe(CLOSED);
    await expectMobileUpAndLean(token, orderIds, 'after shipping-service came back');
  });
});
