import { withPostgres } from '@orders/local-processes';
import { HEADERS } from '@orders/contracts';
import { waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { ApiResponse, orderOf, platformForSuite } from './support/platform';

/** Short, so a frozen service makes the gateway give up quickly; still ample for a healthy stack. */
const REQUEST_DEADLINE_MS = 2_000;

interface ErrorAnswer {
  error: { code: string; message: string };
  requestId: string;
}

/**
 * A downstream that is slow (here frozen with SIGSTOP, so requests queue up
 * unread in its sockets like during a long stall) makes the gateway answer 504
 * DEADLINE_EXCEEDED at the request's deadline, and once the downstream thaws it refuses the
 * requests whose deadline has passed instead of doing their work, over HTTP and over NATS.
 */
describe('request deadlines, end to end', () => {
  const platform = platformForSuite({ env: { gateway: { REQUEST_DEADLINE_MS: String(REQUEST_DEADLINE_MS) } } });

  /** Runs `request` while order-service is frozen, then thaws it. */
  async function whileOrderServiceFrozen<T>(request: () => Promise<T>): Promise<T> {
    platform.stack.signalProcess('order-service', 'SIGSTOP');
    try {
      return await request();
    } finally {
      platform.stack.signalProcess('order-service', 'SIGCONT');
    }
  }

  /** order-service's own account of refusing the request because its deadline had passed. */
  function refusalLogged(requestId: string): Promise<string> {
    return waitFor(async () => platform.stack.logs('order-service').find((line) => line.includes(`(request ${requestId})`) && line.includes('deadline passed')), {
      timeoutMs: 15_000,
      description: `order-service to refuse request ${requestId}`,
    });
  }

  function expectDeadlineExceeded(response: ApiResponse<unknown>, requestId: string): void {
    expect(response.status).toBe(504);
    expect(response.body as ErrorAnswer).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: expect.any(String) }, requestId });
  }

  it('16: over HTTP → 504 at the deadline; the late order is refused on arrival and never placed', async () => {
    const customer = `deadline-http-${randomUUID().slice(0, 8)}`;
    const token = await platform.login(customer);
    const requestId = randomUUID();
    const idempotencyKey = randomUUID();

    const started = Date.now();
    const response = await whileOrderServiceFrozen(() =>
      platform.api('/api/v1/orders', {
        method: 'POST',
        token,
        headers: { [HEADERS.requestId]: requestId, [HEADERS.idempotencyKey]: idempotencyKey },
        body: JSON.stringify(orderOf([{ sku: 'SKU-MUG', quantity: 1 }])),
      }),
    );
    console.log(`the gateway answered ${response.status} after ${Date.now() - started} ms with a ${REQUEST_DEADLINE_MS} ms deadline`);

    expectDeadlineExceeded(response, requestId);
    expect(await refusalLogged(requestId)).toContain('POST /internal/orders');
    const placed = await withPostgres(platform.stack.databaseUrls.order, async (client) => ({
      keys: (await client.query('SELECT 1 FROM idempotency_keys WHERE customer_id = $1', [customer])).rowCount,
      orders: (await client.query('SELECT 1 FROM orders WHERE customer_id = $1', [customer])).rowCount,
    }));
    expect(placed).toEqual({ keys: 0, orders: 0 });
    expect((await platform.api<{ items: unknown[] }>('/api/v1/orders', { token })).body.items).toEqual([]);
  });

  it('16: over NATS → the mobile BFF gives up at the deadline (504); the late query is refused without being run', async () => {
    const token = await platform.login(`deadline-nats-${randomUUID().slice(0, 8)}`);
    const orderId = await platform.place(token, orderOf([{ sku: 'SKU-CAP', quantity: 1 }]));
    const requestId = randomUUID();

    const response = await whileOrderServiceFrozen(() => platform.api(`/api/mobile/v1/orders/${orderId}`, { token, headers: { [HEADERS.requestId]: requestId } }));

    expectDeadlineExceeded(response, requestId);
    expect(await refusalLogged(requestId)).toContain('Refused query.order.get-order');
    // Thawed, it answers again.
    expect((await platform.api(`/api/mobile/v1/orders/${orderId}`, { token })).body).toMatchObject({ id: orderId });
  });
});
