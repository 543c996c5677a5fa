import { gatewayConfig } from './config';

const SECRET = 'x'.repeat(32);

describe('gateway configuration', () => {
  it('defaults everything but the secret', () => {
    expect(gatewayConfig({ JWT_SECRET: SECRET })).toMatchObject({
      PORT: 3000,
      ORDER_SERVICE_URL: 'http://127.0.0.1:3010',
      WEB_BFF_URL: 'http://127.0.0.1:3001',
      MOBILE_BFF_URL: 'http://127.0.0.1:3002',
      JWT_ISSUER: 'order-platform',
      JWT_AUDIENCE: 'order-platform',
      AUTH_DEV_LOGIN_ENABLED: false,
    });
  });

  it('requires a secret of at least 32 characters', () => {
    expect(() => gatewayConfig({})).toThrow(/JWT_SECRET/);
    expect(() => gatewayConfig({ JWT_SECRET: 'short' })).toThrow(/at least 32 characters/);
  });

  it('reads the dev login flag as a boolean string', () => {
    expect(gatewayConfig({ JWT_SECRET: SECRET, AUTH_DEV_LOGIN_ENABLED: 'true' }).AUTH_DEV_LOGIN_ENABLED).toBe(true);
    expect(gatewayConfig({ JWT_SECRET: SECRET, AUTH_DEV_LOGIN_ENABLED: 'false' }).AUTH_DEV_LOGIN_ENABLED).toBe(false);
    expect(() => gatewayConfig({ JWT_SECRET: SECRET, AUTH_DEV_LOGIN_ENABLED: 'yes please' })).toThrow();
  });

  it('drops a trailing slash from upstream URLs', () => {
    expect(gatewayConfig({ JWT_SECRET: SECRET, WEB_BFF_URL: 'http://web-bff:3001/' }).WEB_BFF_URL).toBe('http://web-bff:3001');
  });
});
