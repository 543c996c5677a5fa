import { loadConfig } from '@orders/config';
import { DEFAULT_COMPENSATION_LANE_OPTIONS, DEFAULT_CONSUMER_OPTIONS } from '@orders/messaging';
import { baseConfigSchema, jetStreamServerOptions, requestDeadlineMs } from './config';

describe('NATS_URL', () => {
  it('takes the servers of a cluster as a comma-separated list', () => {
    const NATS_URL = 'nats://nats-0.nats-headless:4222,nats://nats-1.nats-headless:4222,nats://nats-2.nats-headless:4222';
    expect(loadConfig(baseConfigSchema, { PORT: '0', NATS_URL }).NATS_URL).toBe(NATS_URL);
  });

  it('refuses an entry that is neither nats://host:port nor host:port, naming it', () => {
    expect(() => loadConfig(baseConfigSchema, { PORT: '0', NATS_URL: 'nats://nats-0:4222;nats://nats-1:4222' })).toThrow(
      /"nats:\/\/nats-0:4222;nats:\/\/nats-1:4222" is not a NATS server[\s\S]*→ at NATS_URL/,
    );
  });
});

describe('consumer settings from the environment', () => {
  it('defaults to the messaging defaults', () => {
    expect(jetStreamServerOptions({})).toEqual({
      consumerDefaults: {
        maxDeliveries: DEFAULT_CONSUMER_OPTIONS.maxDeliveries,
        retryBaseDelayMs: DEFAULT_CONSUMER_OPTIONS.retryBaseDelayMs,
        retryMaxDelayMs: DEFAULT_CONSUMER_OPTIONS.retryMaxDelayMs,
        ackWaitMs: DEFAULT_CONSUMER_OPTIONS.ackWaitMs,
        precedingEventWaitMs: DEFAULT_CONSUMER_OPTIONS.precedingEventWaitMs,
        precedingEventRetryBaseDelayMs: DEFAULT_CONSUMER_OPTIONS.precedingEventRetryBaseDelayMs,
      },
      compensationLane: DEFAULT_COMPENSATION_LANE_OPTIONS,
    });
  });

  it('takes every setting from its variable', () => {
    const options = jetStreamServerOptions({
      CONSUMER_MAX_DELIVERIES: '3',
      CONSUMER_RETRY_BASE_MS: '50',
      CONSUMER_RETRY_MAX_MS: '400',
      CONSUMER_ACK_WAIT_MS: '2000',
      CONSUMER_PRECEDING_EVENT_WAIT_MS: '9000',
      CONSUMER_PRECEDING_EVENT_RETRY_BASE_MS: '5',
      COMPENSATION_CONCURRENCY: '4',
      COMPENSATION_RATE_PER_SECOND: '7',
    });
    expect(options).toEqual({
      consumerDefaults: { maxDeliveries: 3, retryBaseDelayMs: 50, retryMaxDelayMs: 400, ackWaitMs: 2_000, precedingEventWaitMs: 9_000, precedingEventRetryBaseDelayMs: 5 },
      compensationLane: { concurrency: 4, ratePerSecond: 7 },
    });
  });

  it('refuses settings that make no sense, naming them', () => {
    expect(() => jetStreamServerOptions({ CONSUMER_MAX_DELIVERIES: '0', COMPENSATION_RATE_PER_SECOND: 'fast' })).toThrow(
      /CONSUMER_MAX_DELIVERIES[\s\S]*COMPENSATION_RATE_PER_SECOND/,
    );
  });
});

describe('request deadline from the environment', () => {
  it('is 5 s unless REQUEST_DEADLINE_MS says otherwise', () => {
    expect(requestDeadlineMs({})).toBe(5_000);
    expect(requestDeadlineMs({ REQUEST_DEADLINE_MS: '1500' })).toBe(1_500);
  });

  it('refuses a deadline that is not a positive whole number of milliseconds', () => {
    expect(() => requestDeadlineMs({ REQUEST_DEADLINE_MS: '0' })).toThrow(/REQUEST_DEADLINE_MS/);
    expect(() => requestDeadlineMs({ REQUEST_DEADLINE_MS: '2.5' })).toThrow(/REQUEST_DEADLINE_MS/);
  });
});
