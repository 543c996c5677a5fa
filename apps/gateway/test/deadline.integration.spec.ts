import { connect, NatsConnection, Subscription } from '@nats-io/transport-node';
import { HEADERS, ListProducts } from '@orders/contracts';
import { PrivateNatsServer, startPrivateNatsServer } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { FakeUpstream } from './fake-upstream';
import { accessToken, GatewayUnderTest, startGateway } from './gateway-under-test';

const DEADLINE_MS = 1_500;
process.env.REQUEST_DEADLINE_MS = String(DEADLINE_MS);
process.env.LOG_LEVEL ??= 'fatal';

/**
 * The gateway starts every request's deadline, REQUEST_DEADLINE_MS after it arrived, sends it
 * on in `x-deadline` and waits for the services behind it no longer than that.
 */
describe('gateway request deadlines', () => {
  const upstream = new FakeUpstream();
  let nats: PrivateNatsServer;
  let responder: NatsConnection;
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    nats = await startPrivateNatsServer();
    const upstreamUrl = await upstream.start();
    // Per-call timeouts far beyond the deadline: only the deadline can end these waits in time.
    gateway = await startGateway(nats.url, { ORDER_SERVICE_URL: upstreamUrl, WEB_BFF_URL: upstreamUrl, MOBILE_BFF_URL: upstreamUrl, UPSTREAM_TIMEOUT_MS: '60000' });
    responder = await connect({ servers: nats.url });
  }, 30_000);

  afterEach(() => upstream.reset());

  afterAll(async () => {
    await gateway?.app.close();
    await responder?.close();
    await upstream.stop();
    await nats?.dispose();
  });

  const call = (path: string, requestId: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${accessToken('alice')}`, [HEADERS.requestId]: requestId, ...headers } });

  it('sends order-service and the BFFs the deadline it set, ignoring one the client sent', async () => {
    const sentAt = Date.now();
    const responses = await Promise.all(
      ['/api/v1/orders', '/api/web/v1/orders/6f1d1c52-3c1a-4d8e-9f57-2b1f0b7f5b11', '/api/mobile/v1/orders'].map((path) =>
        call(path, randomUUID(), { [HEADERS.deadline]: String(sentAt - 60_000) }),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(upstream.received).toHaveLength(3);
    for (const { headers } of upstream.received) {
      const deadline = Number(headers[HEADERS.deadline]);
      expect(deadline).toBeGreaterThanOrEqual(sentAt + DEADLINE_MS);
      expect(deadline).toBeLessThanOrEqual(Date.now() + DEADLINE_MS);
    }
  });

  it('answers 504 DEADLINE_EXCEEDED when the service behind it has not answered by the deadline', async () => {
    upstream.answer = () => undefined;
    const requestId = randomUUID();

    const response = await call('/api/v1/orders', requestId);

    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: expect.any(String) }, requestId });
    expect(upstream.received).toHaveLength(1);
  });

  describe('products over NATS', () => {
    let subscription: Subscription | undefined;
    afterEach(() => subscription?.unsubscribe());

    it('asks inventory-service with the deadline and answers 504 DEADLINE_EXCEEDED when it stays silent', async () => {
      const requestId = randomUUID();
      const asked: Array<string | undefined> = [];
      subscription = responder.subscribe(ListProducts.subject, {
        callback: (_error, message) => {
          if (message.headers?.get(HEADERS.requestId) === requestId) asked.push(message.headers.get(HEADERS.deadline));
        },
      });
      await responder.flush();
      const sentAt = Date.now();

      const response = await call('/api/v1/products', requestId);

      expect(response.status).toBe(504);
      expect(await response.json()).toEqual({ error: { code: 'DEADLINE_EXCEEDED', message: expect.any(String) }, requestId });
      expect(asked).toHaveLength(1);
      expect(Number(asked[0])).toBeGreaterThanOrEqual(sentAt + DEADLINE_MS);
    });
  });
});
