import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { ApiResponse, orderOf, platformForSuite } from './support/platform';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

// Small buckets for this suite only. Anonymous requests all come from 127.0.0.1, so the
// gateway trusts the loopback proxy and a test picks its client IP with X-Forwarded-For.
const LIMITS = { RATE_LIMIT_POINTS: '30', RATE_LIMIT_ORDERS_POINTS: '12', RATE_LIMIT_LOGIN_POINTS: '20', TRUST_PROXY: 'loopback' };

/**
 * Errors, authentication, rate limits and idempotency through the real gateway and
 * order-service: who may call what, abusive clients refused before any
 * business work, and a double-click making one order.
 */
describe('the gateway edge, end to end', () => {
  const platform = platformForSuite({ env: { gateway: LIMITS } });

  /** A token signed with the stack's secret, or deliberately not quite right. */
  function forgedToken(options: { secret?: string; issuer?: string; audience?: string; expiresIn?: number } = {}): string {
    const { jwt } = platform.stack;
    return new JwtService().sign(
      { sub: `forged-${randomUUID()}`, roles: ['customer'] },
      {
        algorithm: 'HS256',
        secret: options.secret ?? jwt.secret,
        issuer: options.issuer ?? jwt.issuer,
        audience: options.audience ?? jwt.audience,
        expiresIn: options.expiresIn ?? 600,
      },
    );
  }

  describe('authentication and authorization', () => {
    it('accepts a well-formed token signed by the gateway', async () => {
      expect((await platform.api('/api/v1/orders', { token: forgedToken() })).status).toBe(200);
    });

    it.each([
      ['no token', () => undefined],
      ['a token with a bad signature', () => forgedToken({ secret: 'not-the-secret-of-this-gateway-at-all-32' })],
      ['an expired token', () => forgedToken({ expiresIn: -60 })],
      ['a token for another audience', () => forgedToken({ audience: 'someone-else' })],
      ['a token from another issuer', () => forgedToken({ issuer: 'someone-else' })],
      ['something that is not a JWT', () => 'definitely.not.a-jwt'],
    ])('answers 401 UNAUTHENTICATED to %s', async (_case, token) => {
      const requestId = randomUUID();
      const answer = await platform.api<ErrorBody>('/api/v1/orders', { token: token(), headers: { 'x-request-id': requestId } });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) }, requestId });
    });

    it('answers 404 to a customer reading or cancelling another customer’s order, exactly as for an unknown order, and changes nothing', async () => {
      const [owner, intruder] = [await platform.login('owner'), await platform.login('intruder')];
      const orderId = await platform.place(owner, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]));
      const unknownId = randomUUID();

      for (const id of [orderId, unknownId]) {
        const read = await platform.api<ErrorBody>(`/api/v1/orders/${id}`, { token: intruder });
        const cancel = await platform.cancelOrder(intruder, id);
        expect([read.status, cancel.status]).toEqual([404, 404]);
        expect((read.body as ErrorBody).error.code).toBe('ORDER_NOT_FOUND');
        expect((cancel.body as unknown as ErrorBody).error.code).toBe('ORDER_NOT_FOUND');
      }
      const mine = await platform.api<{ items: unknown[] }>('/api/v1/orders', { token: intruder });
      expect(mine.body.items).toEqual([]);
      expect((await platform.order(owner, orderId)).cancellationReason).not.toBe('CUSTOMER_CANCELLED');
    });

    it('answers 403 FORBIDDEN to a customer on an operator route, and lets an operator in', async () => {
      const customer = await platform.login('curious-customer');
      for (const [path, method] of [
        ['/api/v1/admin/dead-letters', 'GET'],
        ['/api/v1/admin/dead-letters/1/replay', 'POST'],
        ['/api/v1/admin/dead-letters/1/discard', 'POST'],
      ]) {
        const answer = await platform.api<ErrorBody>(path, { method, token: customer });
        expect(answer.status).toBe(403);
        expect(answer.body.error.code).toBe('FORBIDDEN');
      }
      const ops = await platform.login('edge-operator', ['ops']);
      expect((await platform.api('/api/v1/admin/dead-letters', { token: ops })).status).toBe(200);
    });
  });

  describe('rate limiting', () => {
    it('17: refuses an abusive customer’s orders with 429 before order-service sees them, and serves everyone else', async () => {
      const abuser = await platform.login('abuser');
      const keys = Array.from({ length: 18 }, () => randomUUID());
      const answers: Array<ApiResponse<unknown>> = [];
      for (const key of keys) answers.push(await platform.placeOrder(abuser, orderOf([{ sku: 'SKU-STICKERS', quantity: 1 }]), key));

      expect(answers.map((answer) => answer.status)).toEqual([...Array(12).fill(202), ...Array(6).fill(429)]);
      const refused = answers[12];
      expect(refused.headers.get('x-ratelimit-limit')).toBe('12');
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.body).toEqual({
        error: { code: 'RATE_LIMITED', message: expect.any(String), details: { bucket: 'orders', limit: 12, retryAfterSeconds: expect.any(Number) } },
        requestId: refused.headers.get('x-request-id'),
      });

      // order-service's own records: twelve orders, their twelve keys and order.placed messages, nothing of the refused six.
      expect(await platform.orderServiceRows('abuser')).toEqual({ orders: 12, outbox: 12, idempotencyKeys: 12 });

      const bystander = await platform.login('bystander');
      const placed = await platform.placeOrder(bystander, orderOf([{ sku: 'SKU-STICKERS', quantity: 1 }]));
      expect(placed.status).toBe(202);
      expect(placed.headers.get('x-ratelimit-remaining')).toBe('11');
    });

    it('17: refuses any request past the general bucket, and says so on every /api answer', async () => {
      const chatty = await platform.login('chatty');
      const statuses: number[] = [];
      const remaining: Array<string | null> = [];
      for (let index = 0; index < 32; index++) {
        const answer = await platform.api('/api/v1/orders', { token: chatty });
        statuses.push(answer.status);
        remaining.push(answer.headers.get('x-ratelimit-remaining'));
      }
      expect(statuses).toEqual([...Array(30).fill(200), 429, 429]);
      expect(remaining.slice(0, 3)).toEqual(['29', '28', '27']);
      expect(remaining.slice(-3)).toEqual(['0', '0', '0']);
      expect((await platform.api('/api/v1/orders', { token: await platform.login('quiet') })).status).toBe(200);
    });

    it('17: limits dev logins per client IP', async () => {
      const login = (clientIp: string) =>
        platform.api('/api/v1/auth/dev-login', { method: 'POST', headers: { 'x-forwarded-for': clientIp }, body: JSON.stringify({ userId: 'guesser', roles: ['customer'] }) });
      const statuses: number[] = [];
      for (let index = 0; index < 21; index++) statuses.push((await login('203.0.113.66')).status);
      expect(statuses).toEqual([...Array(20).fill(200), 429]);
      expect((await login('203.0.113.67')).status).toBe(200);
    });
  });

  describe('idempotency', () => {
    it('12: ten concurrent identical orders with one Idempotency-Key make one order and ten identical answers', async () => {
      const token = await platform.login('double-clicker');
      const order = orderOf([{ sku: 'SKU-CAP', quantity: 1 }]);
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 10 }, () => platform.placeOrder(token, order, key)));

      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(202));
      const [first] = answers;
      expect(first.body).toEqual({ orderId: expect.any(String), status: 'PENDING' });
      for (const answer of answers) {
        expect(answer.body).toEqual(first.body);
        expect(answer.headers.get('location')).toBe(`/api/v1/orders/${first.body.orderId}`);
      }
      expect(await platform.orderServiceRows('double-clicker')).toEqual({ orders: 1, outbox: 1, idempotencyKeys: 1 });

      const reused = await platform.placeOrder(token, orderOf([{ sku: 'SKU-CAP', quantity: 2 }]), key);
      expect(reused.status).toBe(422);
      expect((reused.body as unknown as ErrorBody).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await platform.orderServiceRows('double-clicker')).toEqual({ orders: 1, outbox: 1, idempotencyKeys: 1 });
      expect((await platform.settled(token, first.body.orderId)).status).toBe('CONFIRMED');
    });

    it('requires an Idempotency-Key to place or cancel an order (400), and does nothing without one', async () => {
      const token = await platform.login('forgetful');
      const placed = await platform.api<ErrorBody>('/api/v1/orders', { method: 'POST', token, body: JSON.stringify(orderOf([{ sku: 'SKU-MUG', quantity: 1 }])) });
      expect(placed.status).toBe(400);
      expect(placed.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      expect(await platform.orderServiceRows('forgetful')).toEqual({ orders: 0, outbox: 0, idempotencyKeys: 0 });

      const orderId = await platform.place(token, orderOf([{ sku: 'SKU-MUG', quantity: 1 }]));
      const cancelled = await platform.api<ErrorBody>(`/api/v1/orders/${orderId}/cancel`, { method: 'POST', token });
      expect(cancelled.status).toBe(400);
      expect(cancelled.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      expect((await platform.order(token, orderId)).cancellationReason).not.toBe('CUSTOMER_CANCELLED');
    });
  });
});
