import { RateLimitOutcome } from '../application/rate-limiter';
import { decisiveOutcome, rateLimitCharges, rateLimitHeaders } from './rate-limit.middleware';

const alice = { userId: 'alice', roles: ['customer' as const] };

describe('rateLimitCharges', () => {
  it('counts an authenticated request against its user, wherever it comes from', () => {
    expect(rateLimitCharges('GET', '/api/v1/orders', '10.0.0.1', alice)).toEqual([{ bucket: 'api', clientKey: 'user:alice' }]);
    expect(rateLimitCharges('GET', '/api/v1/orders', '10.0.0.2', alice)).toEqual([{ bucket: 'api', clientKey: 'user:alice' }]);
  });

  it('counts an anonymous request (or one with an invalid token) against its client IP', () => {
    expect(rateLimitCharges('GET', '/api/v1/products', '10.0.0.1', null)).toEqual([{ bucket: 'api', clientKey: 'ip:10.0.0.1' }]);
  });

  it('charges placing an order to the user’s orders bucket as well', () => {
    expect(rateLimitCharges('POST', '/api/v1/orders', '10.0.0.1', alice)).toEqual([
      { bucket: 'api', clientKey: 'user:alice' },
      { bucket: 'orders', clientKey: 'user:alice' },
    ]);
  });

  it('charges a dev login to the IP’s login bucket, even when the request carries a valid token', () => {
    expect(rateLimitCharges('POST', '/api/v1/auth/dev-login', '10.0.0.1', alice)).toEqual([
      { bucket: 'api', clientKey: 'user:alice' },
      { bucket: 'login', clientKey: 'ip:10.0.0.1' },
    ]);
  });

  it.each([
    ['a different case', 'post', '/API/V1/Orders'],
    ['a trailing slash', 'POST', '/api/v1/orders/'],
  ])('matches the strict routes with %s, as Express routes them', (_case, method, path) => {
    expect(rateLimitCharges(method, path, '10.0.0.1', alice).map((charge) => charge.bucket)).toEqual(['api', 'orders']);
  });

  it('gives reads of orders and other methods no strict bucket', () => {
    expect(rateLimitCharges('GET', '/api/v1/orders', '10.0.0.1', alice).map((charge) => charge.bucket)).toEqual(['api']);
    expect(rateLimitCharges('POST', '/api/v1/orders/0b8e4c52-8a3f-4f53-9d7a-6f1e2c9b7a10/cancel', '10.0.0.1', alice).map((charge) => charge.bucket)).toEqual(['api']);
  });
});

const outcome = (overrides: Partial<RateLimitOutcome>): RateLimitOutcome => ({ bucket: 'api', allowed: true, limit: 100, remaining: 50, resetInMs: 30_000, ...overrides });

describe('decisiveOutcome', () => {
  it('reports the bucket closest to empty, relative to its size, when every bucket allowed the request', () => {
    const api = outcome({ bucket: 'api', limit: 100, remaining: 40 });
    const orders = outcome({ bucket: 'orders', limit: 10, remaining: 5 });
    expect(decisiveOutcome([api, orders])).toBe(api);
    expect(decisiveOutcome([api, outcome({ bucket: 'orders', limit: 10, remaining: 1 })]).bucket).toBe('orders');
  });

  it('reports a refusal over any allowance, and the one that lasts longest among refusals', () => {
    const allowed = outcome({ bucket: 'api', remaining: 0, resetInMs: 90_000 });
    const soon = outcome({ bucket: 'orders', allowed: false, remaining: 0, resetInMs: 5_000 });
    const late = outcome({ bucket: 'login', allowed: false, remaining: 0, resetInMs: 50_000 });
    expect(decisiveOutcome([allowed, soon])).toBe(soon);
    expect(decisiveOutcome([soon, late, allowed])).toBe(late);
  });
});

describe('rateLimitHeaders', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('states the limit, what is left and when the bucket is full again, in Unix seconds', () => {
    expect(rateLimitHeaders(outcome({ limit: 100, remaining: 42, resetInMs: 30_500 }), now)).toEqual({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '42',
      'X-RateLimit-Reset': String(now / 1000 + 31),
    });
  });

  it('adds Retry-After in whole seconds, rounded up, to a refusal', () => {
    expect(rateLimitHeaders(outcome({ allowed: false, remaining: 0, resetInMs: 12_001 }), now)).toMatchObject({ 'X-RateLimit-Remaining': '0', 'Retry-After': '13' });
  });

  it('never tells a refused client to retry after 0 seconds', () => {
    expect(rateLimitHeaders(outcome({ allowed: false, remaining: 0, resetInMs: 0 }), now)['Retry-After']).toBe('1');
  });
});
