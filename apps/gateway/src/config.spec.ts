import { generateCallerTokenKeys } from '@orders/caller-tokens';
import { gatewayConfig } from './config';

const SECRET = 'x'.repeat(32);
const { CALLER_TOKEN_PRIVATE_KEY } = generateCallerTokenKeys().env;

describe('gateway configuration', () => {
  it('defaults everything but the secrets, listening on loopback only', () => {
    expect(gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY })).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      ORDER_SERVICE_URL: 'http://127.0.0.1:3010',
      WEB_BFF_URL: 'http://127.0.0.1:3001',
      MOBILE_BFF_URL: 'http://127.0.0.1:3002',
      JWT_ISSUER: 'order-platform',
      JWT_AUDIENCE: 'order-platform',
      AUTH_DEV_LOGIN_ENABLED: false,
      TRUST_PROXY: false,
      CORS_ORIGINS: [],
      REQUEST_BODY_LIMIT_BYTES: 16_384,
      RATE_LIMIT_STORE: 'memory',
      RATE_LIMIT_POINTS: 600,
      RATE_LIMIT_DURATION_S: 60,
      RATE_LIMIT_LOGIN_POINTS: 10,
      RATE_LIMIT_LOGIN_DURATION_S: 60,
      RATE_LIMIT_ORDERS_POINTS: 30,
      RATE_LIMIT_ORDERS_DURATION_S: 60,
    });
  });

  it('requires a secret of at least 32 characters', () => {
    expect(() => gatewayConfig({ CALLER_TOKEN_PRIVATE_KEY })).toThrow(/JWT_SECRET/);
    expect(() => gatewayConfig({ JWT_SECRET: 'short', CALLER_TOKEN_PRIVATE_KEY })).toThrow(/at least 32 characters/);
  });

  it('requires the private key it signs caller tokens with, naming the variable', () => {
    expect(() => gatewayConfig({ JWT_SECRET: SECRET })).toThrow(/CALLER_TOKEN_PRIVATE_KEY/);
    expect(() => gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY: generateCallerTokenKeys().env.CALLER_TOKEN_PUBLIC_KEY })).toThrow(/CALLER_TOKEN_PRIVATE_KEY/);
  });

  it('reads the dev login flag as a boolean string', () => {
    expect(gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, AUTH_DEV_LOGIN_ENABLED: 'true' }).AUTH_DEV_LOGIN_ENABLED).toBe(true);
    expect(gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, AUTH_DEV_LOGIN_ENABLED: 'false' }).AUTH_DEV_LOGIN_ENABLED).toBe(false);
    expect(() => gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, AUTH_DEV_LOGIN_ENABLED: 'yes please' })).toThrow();
  });

  it('drops a trailing slash from upstream URLs', () => {
    expect(gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, WEB_BFF_URL: 'http://web-bff:3001/' }).WEB_BFF_URL).toBe('http://web-bff:3001');
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('reads TRUST_PROXY=%s as Express expects it', (value, expected) => {
    expect(gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('reads CORS_ORIGINS as a list of origins and refuses anything else', () => {
    expect(gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, CORS_ORIGINS: 'https://shop.example.com/, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://shop.example.com',
      'http://localhost:5173',
    ]);
    expect(() => gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });

  it('requires a database for the shared rate-limit store', () => {
    expect(() => gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, RATE_LIMIT_STORE: 'postgres' })).toThrow(/RATE_LIMIT_DATABASE_URL is required/);
    const config = gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_DATABASE_URL: 'postgres://limiter@db:5432/limits' });
    expect(config).toMatchObject({ RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_DATABASE_URL: 'postgres://limiter@db:5432/limits' });
    expect(() => gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE/);
  });

  it('refuses rate limits that are not positive whole numbers', () => {
    expect(() => gatewayConfig({ JWT_SECRET: SECRET, CALLER_TOKEN_PRIVATE_KEY, RATE_LIMIT_POINTS: '0', RATE_LIMIT_ORDERS_DURATION_S: '1.5' })).toThrow(
      /RATE_LIMIT_POINTS[\s\S]*RATE_LIMIT_ORDERS_DURATION_S/,
    );
  });
});
