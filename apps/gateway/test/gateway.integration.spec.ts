import { connect, NatsConnection, Subscription } from '@nats-io/transport-node';
import { JwtService } from '@nestjs/jwt';
import { HEADERS, ListProducts } from '@orders/contracts';
import { privateNatsServerForSuite, waitFor } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { FakeUpstream, json } from './fake-upstream';
import { forwardedCaller, GatewayUnderTest, startGateway as startGatewayOn, TEST_JWT_SECRET } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';
// A private server: real services on a shared NATS would answer these queries too.
const natsServer = privateNatsServerForSuite();
const SECRET = TEST_JWT_SECRET;
const ISSUER = 'order-platform';
const AUDIENCE = 'order-platform';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const startGateway = (env: Record<string, string>): Promise<GatewayUnderTest> => startGatewayOn(natsServer.url, env);

const validOrder = {
  items: [{ sku: 'SKU-TSHIRT', quantity: 2 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};

describe('gateway', () => {
  const upstream = new FakeUpstream();
  let gateway: GatewayUnderTest;
  let nats: NatsConnection;
  const tokens = new JwtService({ secret: SECRET });
  const token = (claims: object = {}, options: { issuer?: string; audience?: string; secret?: string; expiresIn?: number } = {}) =>
    tokens.sign(
      { sub: 'alice', roles: ['customer'], ...claims },
      { algorithm: 'HS256', issuer: options.issuer ?? ISSUER, audience: options.audience ?? AUDIENCE, expiresIn: options.expiresIn ?? 600, secret: options.secret },
    );
  const call = (path: string, init: RequestInit & { token?: string | null; requestId?: string } = {}) => {
    const headers = new Headers(init.headers);
    const bearer = init.token === undefined ? token() : init.token;
    if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`);
    headers.set(HEADERS.requestId, init.requestId ?? randomUUID());
    return fetch(`${gateway.url}${path}`, { ...init, headers });
  };

  const refusedOnMetrics = async (): Promise<number> => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith('orders_placements_refused_total{') && candidate.includes('reason="at_capacity"'));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };

  beforeAll(async () => {
    const upstreamUrl = await upstream.start();
    gateway = await startGateway({
      ORDER_SERVICE_URL: upstreamUrl,
      WEB_BFF_URL: `${upstreamUrl}/`,
      MOBILE_BFF_URL: upstreamUrl,
      AUTH_DEV_LOGIN_ENABLED: 'true',
      // Well above what a healthy fake upstream needs on a loaded machine; the slow one below takes longer.
      UPSTREAM_TIMEOUT_MS: '2000',
    });
    nats = await connect({ servers: natsServer.url, name: `gateway-test-responder-${randomUUID()}` });
  }, 30_000);

  afterEach(() => upstream.reset());

  afterAll(async () => {
    await gateway?.app.close();
    await nats?.close();
    await upstream.stop();
  });

  describe('authentication', () => {
    it('issues a token on dev login that the gateway then accepts', async () => {
      const login = await call('/api/v1/auth/dev-login', {
        method: 'POST',
        token: null,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'bob@example.com', roles: ['customer', 'ops'] }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const claims = tokens.decode<{ sub: string; roles: string[]; iss: string; aud: string; iat: number; exp: number }>(accessToken);
      expect(claims).toMatchObject({ sub: 'bob@example.com', roles: ['customer', 'ops'], iss: ISSUER, aud: AUDIENCE });
      expect(claims.exp - claims.iat).toBe(3600);

      const response = await call('/api/v1/orders', { token: accessToken });
      expect(response.status).toBe(200);
      expect(forwardedCaller(upstream.received[0].headers)).toEqual({ userId: 'bob@example.com', roles: ['customer', 'ops'] });
    });

    it('rejects a dev login for an invalid user id or unknown roles', async () => {
      for (const body of [
        { userId: 'bob smith', roles: ['customer'] },
        { userId: 'bob', roles: ['admin'] },
        { userId: 'bob', roles: [] },
      ]) {
        const response = await call('/api/v1/auth/dev-login', { method: 'POST', token: null, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
      }
    });

    it.each([
      ['no token', null],
      ['a malformed token', 'not-a-jwt'],
      ['a token signed with another secret', 'other'],
      ['an expired token', 'expired'],
      ['a token for another audience', 'audience'],
      ['a token from another issuer', 'issuer'],
      ['a token without roles', 'no-roles'],
    ])('answers 401 UNAUTHENTICATED for %s', async (_case, kind) => {
      const bearer = {
        other: () => token({}, { secret: 'another-secret-that-is-at-least-32-characters' }),
        expired: () => token({}, { expiresIn: -10 }),
        audience: () => token({}, { audience: 'someone-else' }),
        issuer: () => token({}, { issuer: 'someone-else' }),
        'no-roles': () => token({ roles: undefined }),
      }[kind ?? ''];
      const requestId = randomUUID();
      const response = await call('/api/v1/orders', { token: bearer ? bearer() : kind, requestId });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) }, requestId });
      expect(upstream.received).toHaveLength(0);
    });

    it('guards the BFF routes too', async () => {
      const response = await call('/api/web/v1/orders/1', { token: null });
      expect(response.status).toBe(401);
      expect(upstream.received).toHaveLength(0);
    });

    it('keeps health checks open', async () => {
      expect((await call('/health/live', { token: null })).status).toBe(200);
      const ready = await call('/health/ready', { token: null });
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { nats: { status: 'up' } } });
    });
  });

  describe('orders', () => {
    it("refuses placements itself for a moment after order-service refused one as AT_CAPACITY, with order-service's answer and the request's own id", async () => {
      const atCapacity = { code: 'AT_CAPACITY', message: 'Orders are arriving faster than they can be completed', details: { retryAfterSeconds: 1 } };
      // As order-service does, answering with the request id it was sent.
      upstream.answer = (request, response) => json(response, 503, { error: atCapacity, requestId: request.headers[HEADERS.requestId] }, { 'retry-after': '1' });
      // A customer of its own, whose order bucket the other tests do not share.
      const bearer = token({ sub: 'shedding-test' });
      const place = (requestId: string) =>
        call('/api/v1/orders', {
          method: 'POST',
          token: bearer,
          requestId,
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify(validOrder),
        });
      const refusedBefore = await refusedOnMetrics();

      // Back to back, so that some arrive within the gateway's moment of refusing.
      let sent = 0;
      while (sent < 20 && upstream.received.length === sent) {
        const requestId = randomUUID();
        const response = await place(requestId);
        sent += 1;
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.json()).toEqual({ error: atCapacity, requestId });
      }
      expect(upstream.received.length).toBeLessThan(sent);
      expect(await refusedOnMetrics()).toBe(refusedBefore + sent - upstream.received.length);

      // Once order-service admits again, so does the gateway.
      upstream.answer = (_request, response) => json(response, 202, { orderId: randomUUID(), status: 'PENDING' });
      await waitFor(async () => (await place(randomUUID())).status === 202, { timeoutMs: 10_000, intervalMs: 50, description: 'placements forwarded again' });
    });

    it('places an order through order-service with the verified identity, relaying status and body, and points Location at the order', async () => {
      const orderId = randomUUID();
      upstream.answer = (_request, response) => json(response, 202, { orderId, status: 'PENDING' }, { 'x-internal-detail': 'secret' });
      const requestId = randomUUID();
      const idempotencyKey = randomUUID();

      const response = await call('/api/v1/orders', {
        method: 'POST',
        requestId,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          'x-user-id': 'mallory',
          'x-user-roles': 'ops',
          [HEADERS.correlationId]: 'client-chosen',
        },
        body: JSON.stringify(validOrder),
      });

      expect(response.status).toBe(202);
      expect(response.headers.get('location')).toBe(`/api/v1/orders/${orderId}`);
      expect(response.headers.get('x-internal-detail')).toBeNull();
      expect(response.headers.get(HEADERS.requestId)).toBe(requestId);
      expect(await response.json()).toEqual({ orderId, status: 'PENDING' });

      expect(upstream.received).toHaveLength(1);
      const [received] = upstream.received;
      expect(received.method).toBe('POST');
      expect(received.url).toBe('/internal/orders');
      expect(received.headers).toMatchObject({
        [HEADERS.requestId]: requestId,
        [HEADERS.correlationId]: requestId,
        'idempotency-key': idempotencyKey,
        'content-type': 'application/json',
      });
      expect(received.headers['x-user-id']).toBeUndefined();
      expect(received.headers['x-user-roles']).toBeUndefined();
      expect(forwardedCaller(received.headers)).toEqual({ userId: 'alice', roles: ['customer'] });
      expect(received.headers.authorization).not.toContain(token());
      expect(JSON.parse(received.body)).toEqual(validOrder);
    });

    it('points Location at a cancelled order, and nowhere when order-service refuses to cancel it', async () => {
      const orderId = randomUUID();
      const cancel = () => call(`/api/v1/orders/${orderId}/cancel`, { method: 'POST', headers: { 'idempotency-key': randomUUID() } });
      upstream.answer = (_request, response) => json(response, 202, { orderId, status: 'CANCELLED', cancellationReason: 'CUSTOMER_CANCELLED' });
      const cancelled = await cancel();
      expect(cancelled.status).toBe(202);
      expect(cancelled.headers.get('location')).toBe(`/api/v1/orders/${orderId}`);

      const alreadyCancelled = { error: { code: 'ORDER_ALREADY_CANCELLED', message: 'Already cancelled' }, requestId: 'upstream' };
      upstream.answer = (_request, response) => json(response, 409, alreadyCancelled);
      const refused = await cancel();
      expect(refused.status).toBe(409);
      expect(refused.headers.get('location')).toBeNull();
    });

    it('requires an Idempotency-Key to place an order', async () => {
      const requestId = randomUUID();
      const response = await call('/api/v1/orders', { method: 'POST', requestId, headers: { 'content-type': 'application/json' }, body: JSON.stringify(validOrder) });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'IDEMPOTENCY_KEY_REQUIRED', message: expect.any(String) }, requestId });
      expect(upstream.received).toHaveLength(0);
    });

    it('rejects an obviously invalid order before it reaches order-service', async () => {
      const response = await call('/api/v1/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ ...validOrder, items: [] }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
      expect(upstream.received).toHaveLength(0);
    });

    it('reads one order and relays order-service errors unchanged', async () => {
      const orderId = randomUUID();
      const notFound = { error: { code: 'ORDER_NOT_FOUND', message: 'No such order' }, requestId: 'upstream' };
      upstream.answer = (_request, response) => json(response, 404, notFound);
      const response = await call(`/api/v1/orders/${orderId}`, { headers: { 'x-user-id': 'mallory' } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(notFound);
      expect(upstream.received[0]).toMatchObject({ method: 'GET', url: `/internal/orders/${orderId}` });
      expect(forwardedCaller(upstream.received[0].headers)?.userId).toBe('alice');
    });

    it('rejects an order id that is not a UUID', async () => {
      const response = await call('/api/v1/orders/..%2F..%2Fhealth');
      expect(response.status).toBe(400);
      expect(upstream.received).toHaveLength(0);
    });

    it('passes the list query string through', async () => {
      const response = await call('/api/v1/orders?limit=5&cursor=abc%3D%3D');
      expect(response.status).toBe(200);
      expect(upstream.received[0]).toMatchObject({ method: 'GET', url: '/internal/orders?limit=5&cursor=abc%3D%3D' });
    });

    it('answers 504 UPSTREAM_TIMEOUT when order-service is too slow', async () => {
      upstream.answer = (_request, response) => setTimeout(() => json(response, 200, {}), 3_000);
      const response = await call('/api/v1/orders');
      expect(response.status).toBe(504);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UPSTREAM_TIMEOUT');
    });
  });

  it('answers 503 UPSTREAM_UNAVAILABLE when order-service is unreachable', async () => {
    const unreachable = await startGateway({ ORDER_SERVICE_URL: `http://127.0.0.1:${await closedPort()}` });
    try {
      const requestId = randomUUID();
      const response = await fetch(`${unreachable.url}/api/v1/orders`, { headers: { authorization: `Bearer ${token()}`, [HEADERS.requestId]: requestId } });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String) }, requestId });
    } finally {
      await unreachable.app.close();
    }
  });

  describe('backends for frontends', () => {
    it('forwards /api/web on the same path with the verified identity, never the client-sent one', async () => {
      upstream.answer = (_request, response) => json(response, 200, { from: 'web-bff' });
      const requestId = randomUUID();
      const response = await call('/api/web/v1/orders/123?expand=all', {
        requestId,
        headers: { 'x-user-id': 'mallory', 'x-user-roles': 'ops', cookie: 'session=1' },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ from: 'web-bff' });
      const [received] = upstream.received;
      expect(received).toMatchObject({ method: 'GET', url: '/api/web/v1/orders/123?expand=all' });
      expect(received.headers).toMatchObject({ [HEADERS.requestId]: requestId, [HEADERS.correlationId]: requestId });
      expect(forwardedCaller(received.headers)).toEqual({ userId: 'alice', roles: ['customer'] });
      expect(received.headers['x-user-id']).toBeUndefined();
      expect(received.headers.cookie).toBeUndefined();
      expect(received.headers.authorization).not.toContain(token());
    });

    it('forwards any method and JSON body to /api/mobile', async () => {
      upstream.answer = (_request, response) => {
        response.writeHead(204);
        response.end();
      };
      const response = await call('/api/mobile/v1/devices', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pushToken: 'abc' }) });
      expect(response.status).toBe(204);
      expect(upstream.received[0]).toMatchObject({ method: 'PUT', url: '/api/mobile/v1/devices', body: '{"pushToken":"abc"}' });
    });

    it('does not let a path climb out of the BFF prefix', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(gateway.url);
        httpRequest({ host: url.hostname, port: url.port, path: '/api/web/%2e%2e/%2E%2E/health/live', headers: { authorization: `Bearer ${token()}` } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(404);
      expect(upstream.received).toHaveLength(0);
    });
  });

  describe('products', () => {
    const responders: Subscription[] = [];
    afterEach(() => responders.splice(0).forEach((subscription) => subscription.unsubscribe()));

    /**
     * Answers ListProducts, but only this test's request, so parallel test runs on the same NATS do
     * not interfere, and only when it carries the caller's token.
     */
    const respond = (requestId: string, reply: unknown) =>
      responders.push(
        nats.subscribe(ListProducts.subject, {
          callback: (error, message) => {
            if (error || message.headers?.get(HEADERS.requestId) !== requestId) return;
            const caller = forwardedCaller({ authorization: message.headers?.get(HEADERS.authorization) });
            message.respond(JSON.stringify(caller?.userId === 'alice' ? reply : { ok: false, error: { code: 'UNAUTHENTICATED', message: 'no caller token' } }));
          },
        }),
      );

    it('lists products over NATS', async () => {
      const requestId = randomUUID();
      const products = [{ sku: 'SKU-TSHIRT', name: 'T-shirt', price: { amount: 1999, currency: 'EUR' }, available: 3 }];
      respond(requestId, { ok: true, data: { products } });
      await nats.flush();
      const response = await call('/api/v1/products', { requestId });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ products });
    });

    it('answers 503 when inventory-service fails to answer the query', async () => {
      const requestId = randomUUID();
      respond(requestId, { ok: false, error: { code: 'INTERNAL', message: 'boom' } });
      await nats.flush();
      const response = await call('/api/v1/products', { requestId });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String) }, requestId });
    });
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const requestId = randomUUID();
    const response = await call('/api/v2/nothing', { requestId });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Cannot GET /api/v2/nothing' }, requestId });
  });

  it('has no dev login unless it is enabled', async () => {
    const locked = await startGateway({ ORDER_SERVICE_URL: 'http://127.0.0.1:1' });
    try {
      const requestId = randomUUID();
      const response = await fetch(`${locked.url}/api/v1/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HEADERS.requestId]: requestId },
        body: JSON.stringify({ userId: 'alice', roles: ['ops'] }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Cannot POST /api/v1/auth/dev-login' }, requestId });
    } finally {
      await locked.app.close();
    }
  });
});
