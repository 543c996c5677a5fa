import { HEADERS } from '@orders/contracts';
import { createTestDatabase, PrivateNatsServer, rawHttpRequest, startPrivateNatsServer, TestDatabase } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { FakeUpstream, json } from './fake-upstream';
import { accessToken, GatewayUnderTest, startGateway } from './gateway-under-test';

process.env.LOG_LEVEL ??= 'fatal';

const ORDER = {
  items: [{ sku: 'SKU-TSHIRT', quantity: 2 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};
const ORDER_ID = '0b8e4c52-8a3f-4f53-9d7a-6f1e2c9b7a10';
const TIGHT_LIMITS = { RATE_LIMIT_POINTS: '5', RATE_LIMIT_LOGIN_POINTS: '2', RATE_LIMIT_ORDERS_POINTS: '2' };

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

describe('the gateway edge', () => {
  const upstream = new FakeUpstream();
  const gateways: GatewayUnderTest[] = [];
  let nats: PrivateNatsServer;
  let upstreamUrl: string;
  let store: TestDatabase;

  async function gateway(env: Record<string, string> = {}): Promise<GatewayUnderTest> {
    const started = await startGateway(nats.url, { ORDER_SERVICE_URL: upstreamUrl, WEB_BFF_URL: upstreamUrl, MOBILE_BFF_URL: upstreamUrl, AUTH_DEV_LOGIN_ENABLED: 'true', ...env });
    gateways.push(started);
    return started;
  }

  /** A request as a customer (a fresh one unless `user` is given), with a request id to find in the answer. */
  function call(on: GatewayUnderTest, path: string, init: RequestInit & { user?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const user = init.user === undefined ? `customer-${randomUUID()}` : init.user;
    if (user !== null) headers.set('authorization', `Bearer ${accessToken(user)}`);
    if (!headers.has(HEADERS.requestId)) headers.set(HEADERS.requestId, randomUUID());
    return fetch(`${on.url}${path}`, { ...init, headers });
  }

  const placeOrder = (on: GatewayUnderTest, user: string, body: unknown = ORDER) =>
    call(on, '/api/v1/orders', { method: 'POST', user, headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(body) });

  beforeAll(async () => {
    [nats, upstreamUrl, store] = await Promise.all([startPrivateNatsServer(), upstream.start(), createTestDatabase('gateway-edge')]);
  });

  beforeEach(() => {
    upstream.answer = (request, response) => json(response, request.method === 'POST' ? 202 : 200, { orderId: ORDER_ID, status: 'PENDING' });
  });

  afterEach(() => upstream.reset());

  afterAll(async () => {
    for (const started of gateways) await started.app.close();
    await upstream.stop();
    await nats?.dispose();
    await store?.drop();
  });

  describe('rate limiting', () => {
    let tight: GatewayUnderTest;

    beforeAll(async () => {
      tight = await gateway(TIGHT_LIMITS);
    });

    it('counts down on every /api answer, refuses the sixth request with 429 before it is forwarded, and leaves other users alone', async () => {
      const user = `abuser-${randomUUID()}`;
      const answers = [];
      for (let index = 0; index < 5; index++) answers.push(await call(tight, '/api/v1/orders', { user }));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
      expect(answers[0].headers.get('x-ratelimit-limit')).toBe('5');
      const reset = Number(answers[0].headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);

      const requestId = randomUUID();
      const refused = await call(tight, '/api/v1/orders', { user, headers: { [HEADERS.requestId]: requestId } });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(/try again in \d+ s/), details: { bucket: 'api', limit: 5, retryAfterSeconds: expect.any(Number) } },
        requestId,
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(upstream.received).toHaveLength(5);

      const bystander = await call(tight, '/api/v1/orders');
      expect(bystander.status).toBe(200);
      expect(bystander.headers.get('x-ratelimit-remaining')).toBe('4');
      expect(upstream.received).toHaveLength(6);
    });

    it('refuses an over-limit request without reading its body', async () => {
      const user = `abuser-${randomUUID()}`;
      for (let index = 0; index < 5; index++) await call(tight, '/api/v1/orders', { user });
      const refused = await call(tight, '/api/v1/orders', { method: 'POST', user, headers: { 'content-type': 'application/json' }, body: '{"broken":' });
      expect(refused.status).toBe(429);
    });

    it('puts the rate-limit headers on authentication failures and unknown routes too, but not on health checks', async () => {
      const unauthenticated = await call(tight, '/api/v1/orders', { user: null });
      expect(unauthenticated.status).toBe(401);
      const unknown = await call(tight, '/api/v2/nothing');
      expect(unknown.status).toBe(404);
      for (const answer of [unauthenticated, unknown]) expect(answer.headers.get('x-ratelimit-limit')).toBe('5');
      const health = await fetch(`${tight.url}/health/live`);
      expect(health.status).toBe(200);
      expect(health.headers.get('x-ratelimit-limit')).toBeNull();
    });

    it('limits placing orders per user more strictly than other requests', async () => {
      const user = `shopper-${randomUUID()}`;
      const placed = [await placeOrder(tight, user), await placeOrder(tight, user), await placeOrder(tight, user)];
      expect(placed.map((answer) => answer.status)).toEqual([202, 202, 429]);
      expect(placed[1].headers.get('x-ratelimit-limit')).toBe('2');
      expect(((await placed[2].json()) as ErrorBody).error.details).toMatchObject({ bucket: 'orders', limit: 2 });
      expect(upstream.received.filter((request) => request.method === 'POST')).toHaveLength(2);

      expect((await call(tight, '/api/v1/orders', { user })).status).toBe(200);
      expect((await placeOrder(tight, `other-shopper-${randomUUID()}`)).status).toBe(202);
    });

    it('does not believe X-Forwarded-For by default: an anonymous client cannot get a fresh bucket by inventing addresses', async () => {
      const statuses = [];
      for (let index = 0; index < 7; index++) {
        const answer = await call(tight, '/api/v1/auth/dev-login', {
          method: 'POST',
          user: null,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${index}` },
          body: JSON.stringify({ userId: 'bruteforce', roles: ['customer'] }),
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([200, 200, 429, 429, 429, 429, 429]);
    });

    describe('behind a trusted proxy (TRUST_PROXY=loopback)', () => {
      let proxied: GatewayUnderTest;

      beforeAll(async () => {
        proxied = await gateway({ ...TIGHT_LIMITS, TRUST_PROXY: 'loopback' });
      });

      const login = (clientIp: string, user: string | null = null) =>
        call(proxied, '/api/v1/auth/dev-login', {
          method: 'POST',
          user,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp },
          body: JSON.stringify({ userId: 'someone', roles: ['customer'] }),
        });

      it('limits dev logins per client IP, which then comes from X-Forwarded-For', async () => {
        expect([(await login('203.0.113.7')).status, (await login('203.0.113.7')).status]).toEqual([200, 200]);
        const refused = await login('203.0.113.7');
        expect(refused.status).toBe(429);
        expect(((await refused.json()) as ErrorBody).error.details).toMatchObject({ bucket: 'login', limit: 2 });
        expect((await login('203.0.113.8')).status).toBe(200);
      });

      it('keeps counting logins per IP when the client presents a valid token', async () => {
        await login('203.0.113.20');
        await login('203.0.113.20');
        expect((await login('203.0.113.20', `token-holder-${randomUUID()}`)).status).toBe(429);
      });

      it('counts requests with an invalid token against the client IP', async () => {
        const statuses = [];
        for (let index = 0; index < 6; index++) {
          const answer = await call(proxied, '/api/v1/orders', { user: null, headers: { authorization: 'Bearer not-a-token', 'x-forwarded-for': '203.0.113.30' } });
          statuses.push(answer.status);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      });
    });

    it('shares the buckets between gateway replicas on one Postgres store', async () => {
      const env = { ...TIGHT_LIMITS, RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_DATABASE_URL: store.url };
      const [first, second] = await Promise.all([gateway(env), gateway(env)]);
      const user = `roamer-${randomUUID()}`;
      const statuses = [];
      for (let index = 0; index < 6; index++) statuses.push((await call(index % 2 === 0 ? first : second, '/api/v1/orders', { user })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect((await call(first, '/api/v1/orders', { user })).status).toBe(429);
      expect(upstream.received).toHaveLength(5);
      expect((await call(second, '/api/v1/orders')).status).toBe(200);
    });
  });

  describe('requests', () => {
    let roomy: GatewayUnderTest;

    beforeAll(async () => {
      roomy = await gateway({ CORS_ORIGINS: 'https://shop.example.com, https://admin.example.com/' });
    });

    it('answers with security headers fit for a JSON API', async () => {
      for (const answer of [await call(roomy, '/api/v1/orders'), await fetch(`${roomy.url}/health/live`)]) {
        expect(answer.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('x-frame-options')).toBe('DENY');
        expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
        expect(answer.headers.get('x-powered-by')).toBeNull();
      }
      expect((await call(roomy, '/api/v1/orders')).headers.get('cache-control')).toBe('no-store');
    });

    it('lets the configured origins, and only those, call the API from a browser', async () => {
      const preflight = await fetch(`${roomy.url}/api/v1/orders`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');

      const allowed = await call(roomy, '/api/v1/orders', { headers: { origin: 'https://admin.example.com' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
      expect(allowed.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');

      const foreign = await call(roomy, '/api/v1/orders', { headers: { origin: 'https://evil.example.com' } });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows no browser origin unless configured', async () => {
      const closed = await gateway();
      const answer = await call(closed, '/api/v1/orders', { headers: { origin: 'https://shop.example.com' } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    });

    it.each<[string, RequestInit, number, string]>([
      ['a body over 16 kB', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ORDER, padding: 'x'.repeat(17_000) }) }, 413, 'PAYLOAD_TOO_LARGE'],
      ['a form instead of JSON', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'items=1' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['JSON without a content type', { headers: { 'content-type': '' }, body: JSON.stringify(ORDER) }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['JSON in UTF-16', { headers: { 'content-type': 'application/json; charset=utf-16' }, body: JSON.stringify(ORDER) }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [
        'a gzip-compressed body',
        { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify(ORDER)) },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['malformed JSON', { headers: { 'content-type': 'application/json' }, body: '{"items": [' }, 400, 'MALFORMED_JSON'],
      ['an unknown field', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ORDER, discount: 100 }) }, 400, 'VALIDATION_FAILED'],
      [
        'an unknown field in an item',
        { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...ORDER, items: [{ sku: 'SKU-TSHIRT', quantity: 1, price: 1 }] }) },
        400,
        'VALIDATION_FAILED',
      ],
    ])('refuses an order with %s, before forwarding it', async (_case, init, status, code) => {
      const requestId = randomUUID();
      const headers = { 'idempotency-key': randomUUID(), [HEADERS.requestId]: requestId, ...(init.headers as Record<string, string>) };
      const answer = await call(roomy, '/api/v1/orders', { ...init, method: 'POST', headers });
      expect(answer.status).toBe(status);
      expect(await answer.json()).toEqual({ error: { code, message: expect.any(String), ...(code === 'VALIDATION_FAILED' ? { details: expect.any(Array) } : {}) }, requestId });
      expect(upstream.received).toHaveLength(0);
    });

    it('names the unknown field', async () => {
      const answer = await call(roomy, '/api/v1/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ ...ORDER, shippingAddress: { ...ORDER.shippingAddress, floor: 3 } }),
      });
      expect(((await answer.json()) as ErrorBody).error.details).toEqual([{ path: 'shippingAddress', message: expect.stringContaining('floor') }]);
    });

    it.each([
      ['missing', undefined, 'IDEMPOTENCY_KEY_REQUIRED'],
      ['blank', '  ', 'IDEMPOTENCY_KEY_REQUIRED'],
      ['too long', 'k'.repeat(201), 'INVALID_IDEMPOTENCY_KEY'],
      ['made of forbidden characters', 'key with spaces', 'INVALID_IDEMPOTENCY_KEY'],
    ])('refuses to place or cancel an order when the Idempotency-Key is %s', async (_case, key, code) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== undefined) headers['idempotency-key'] = key;
      for (const path of ['/api/v1/orders', `/api/v1/orders/${ORDER_ID}/cancel`]) {
        const answer = await call(roomy, path, { method: 'POST', headers, body: path.endsWith('cancel') ? undefined : JSON.stringify(ORDER) });
        expect(answer.status).toBe(400);
        expect(((await answer.json()) as ErrorBody).error.code).toBe(code);
      }
      expect(upstream.received).toHaveLength(0);
    });

    it('refuses an Idempotency-Key sent twice', async () => {
      const answer = await rawHttpRequest(
        roomy.url,
        `POST /api/v1/orders/${ORDER_ID}/cancel HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${accessToken('twice')}\r\n` +
          `Idempotency-Key: first\r\nIdempotency-Key: second\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'INVALID_IDEMPOTENCY_KEY' } });
      expect(upstream.received).toHaveLength(0);
    });

    it('forwards a cancel with a valid Idempotency-Key', async () => {
      const answer = await call(roomy, `/api/v1/orders/${ORDER_ID}/cancel`, { method: 'POST', headers: { 'idempotency-key': 'cancel-1' } });
      expect(answer.status).toBe(202);
      expect(upstream.received[0]).toMatchObject({ method: 'POST', url: `/internal/orders/${ORDER_ID}/cancel` });
    });
  });
});
