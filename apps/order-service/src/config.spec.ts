import { generateCallerTokenKeys } from '@orders/caller-tokens';
import { orderConfig } from './config';

const DATABASE_URL = 'postgres://order@127.0.0.1:5432/orders';
const { CALLER_TOKEN_PUBLIC_KEY } = generateCallerTokenKeys().env;

describe('order-service configuration', () => {
  it('keeps Idempotency-Keys 24 h and looks for older ones every 10 minutes by default', () => {
    expect(orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY })).toMatchObject({ IDEMPOTENCY_KEY_TTL_MS: 24 * 60 * 60_000, IDEMPOTENCY_PURGE_INTERVAL_MS: 10 * 60_000 });
  });

  it('takes both from the environment and refuses what makes no sense', () => {
    expect(orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY, IDEMPOTENCY_KEY_TTL_MS: '3600000', IDEMPOTENCY_PURGE_INTERVAL_MS: '60000' })).toMatchObject({
      IDEMPOTENCY_KEY_TTL_MS: 3_600_000,
      IDEMPOTENCY_PURGE_INTERVAL_MS: 60_000,
    });
    expect(() => orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY, IDEMPOTENCY_KEY_TTL_MS: '0' })).toThrow(/IDEMPOTENCY_KEY_TTL_MS/);
  });

  it('listens on loopback unless told otherwise, and requires the gateway’s public key, naming the variable', () => {
    expect(orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY }).HOST).toBe('127.0.0.1');
    expect(orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    expect(() => orderConfig({ DATABASE_URL })).toThrow(/CALLER_TOKEN_PUBLIC_KEY/);
    expect(() => orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY: 'a shared secret' })).toThrow(/CALLER_TOKEN_PUBLIC_KEY/);
  });

  it('waits a minute for an order it does not have before settling it as lost, always less than an event may wait for a preceding one', () => {
    expect(orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY }).LOST_ORDER_WAIT_MS).toBe(60_000);
    expect(orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY, LOST_ORDER_WAIT_MS: '5000', CONSUMER_PRECEDING_EVENT_WAIT_MS: '6000' }).LOST_ORDER_WAIT_MS).toBe(5_000);
    expect(() => orderConfig({ DATABASE_URL, CALLER_TOKEN_PUBLIC_KEY, LOST_ORDER_WAIT_MS: '600000' })).toThrow(
      /LOST_ORDER_WAIT_MS must be shorter than CONSUMER_PRECEDING_EVENT_WAIT_MS/,
    );
  });
});
