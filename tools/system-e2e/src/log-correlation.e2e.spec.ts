import { waitFor } from '@orders/testing';
import { ADDRESS, orderOf, platformForSuite } from './support/platform';

const APPS = ['gateway', 'order-service', 'inventory-service', 'payment-service', 'shipping-service'] as const;
const SERVICES = APPS.slice(1);

type LogLine = Record<string, unknown> & { msg?: string; req?: { method?: string } };

describe('logs of one order across all apps', () => {
  const platform = platformForSuite();

  function linesOf(app: string): LogLine[] {
    return platform.stack.logs(app).flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  }

  it("carry the gateway's request id as correlation id in every app, and no payment token or address", async () => {
    const token = await platform.login('log-reader');
    const order = orderOf([{ sku: 'SKU-MUG', quantity: 1 }]);
    const placed = await platform.placeOrder(token, order);
    expect(placed.status).toBe(202);
    const { orderId } = placed.body;
    const correlationId = placed.headers.get('x-request-id');
    expect(correlationId).toBeTruthy();
    expect((await platform.settled(token, orderId)).status).toBe('CONFIRMED');

    // The last services log their handling just after the order is confirmed.
    const handledBy = (app: string) => linesOf(app).filter((line) => line.correlationId === correlationId && line.msg?.startsWith('Handled '));
    await waitFor(() => SERVICES.every((app) => handledBy(app).length > 0), { timeoutMs: 10_000, description: 'every service logging an event of the order as handled' });

    const placement = linesOf('gateway').find((line) => line.requestId === correlationId && line.msg === 'request completed');
    expect(placement).toMatchObject({ correlationId, service: 'gateway', version: expect.any(String), req: { method: 'POST' } });
    for (const app of SERVICES) {
      for (const line of handledBy(app)) expect(line).toMatchObject({ service: app, eventId: expect.any(String), eventType: expect.any(String) });
    }
    for (const app of APPS) {
      const lines = linesOf(app);
      // Reads of the order come later, each with a request id of its own; everything else about it belongs to the placement.
      const aboutOrder = lines.filter((line) => JSON.stringify(line).includes(orderId) && line.req?.method !== 'GET');
      for (const line of aboutOrder) expect({ app, line }).toMatchObject({ app, line: { correlationId } });
      expect(lines.every((line) => typeof line.service === 'string' && typeof line.version === 'string')).toBe(true);
      const written = platform.stack.logs(app).join('\n');
      expect(written).not.toContain(order.payment.token);
      expect(written).not.toContain(ADDRESS.line1);
    }
  });
});
