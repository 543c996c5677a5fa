import { callerTokenVerificationConfigSchema } from '@orders/caller-tokens';
import { loadConfig, natsUrlSetting, positiveIntSetting } from '@orders/config';
import { DEFAULT_COMPENSATION_LANE_OPTIONS, DEFAULT_CONSUMER_OPTIONS, JetStreamServerOptions } from '@orders/messaging';
import { z } from 'zod';

/** Settings every app shares. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535),
  /** Loopback unless told otherwise: container images set `0.0.0.0` themselves. */
  HOST: z.string().min(1).default('127.0.0.1'),
  NATS_URL: natsUrlSetting('nats://127.0.0.1:4222'),
});

/** Settings of an app behind the gateway: it verifies its callers with the gateway's public key. */
export const behindGatewayConfigSchema = baseConfigSchema.extend(callerTokenVerificationConfigSchema.shape);

/** Where a service's database is: all its migrations need. */
const databaseConfigSchema = z.object({ DATABASE_URL: z.string().startsWith('postgres') });

/** Settings of an app that owns a database. */
export const serviceConfigSchema = behindGatewayConfigSchema.extend(databaseConfigSchema.shape);

/** DATABASE_URL, for a migration run, which needs none of the service's other settings. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return loadConfig(databaseConfigSchema, env).DATABASE_URL;
}

/**
 * How every service consumes events, so operators tune retries and the compensation
 * lane per deployment (and tests make them fast) without touching the services.
 */
export const consumerConfigSchema = z.object({
  CONSUMER_MAX_DELIVERIES: positiveIntSetting(DEFAULT_CONSUMER_OPTIONS.maxDeliveries),
  CONSUMER_RETRY_BASE_MS: positiveIntSetting(DEFAULT_CONSUMER_OPTIONS.retryBaseDelayMs),
  CONSUMER_RETRY_MAX_MS: positiveIntSetting(DEFAULT_CONSUMER_OPTIONS.retryMaxDelayMs),
  CONSUMER_ACK_WAIT_MS: positiveIntSetting(DEFAULT_CONSUMER_OPTIONS.ackWaitMs),
  CONSUMER_PRECEDING_EVENT_WAIT_MS: positiveIntSetting(DEFAULT_CONSUMER_OPTIONS.precedingEventWaitMs),
  CONSUMER_PRECEDING_EVENT_RETRY_BASE_MS: positiveIntSetting(DEFAULT_CONSUMER_OPTIONS.precedingEventRetryBaseDelayMs),
  COMPENSATION_CONCURRENCY: positiveIntSetting(DEFAULT_COMPENSATION_LANE_OPTIONS.concurrency),
  COMPENSATION_RATE_PER_SECOND: positiveIntSetting(DEFAULT_COMPENSATION_LANE_OPTIONS.ratePerSecond),
});

export function jetStreamServerOptions(env: NodeJS.ProcessEnv = process.env): Partial<JetStreamServerOptions> {
  const config = loadConfig(consumerConfigSchema, env);
  return {
    consumerDefaults: {
      maxDeliveries: config.CONSUMER_MAX_DELIVERIES,
      retryBaseDelayMs: config.CONSUMER_RETRY_BASE_MS,
      retryMaxDelayMs: config.CONSUMER_RETRY_MAX_MS,
      ackWaitMs: config.CONSUMER_ACK_WAIT_MS,
      precedingEventWaitMs: config.CONSUMER_PRECEDING_EVENT_WAIT_MS,
      precedingEventRetryBaseDelayMs: config.CONSUMER_PRECEDING_EVENT_RETRY_BASE_MS,
    },
    compensationLane: { concurrency: config.COMPENSATION_CONCURRENCY, ratePerSecond: config.COMPENSATION_RATE_PER_SECOND },
  };
}

/** The most time any request may take in this app, however much its caller allows (ADR 0007). */
export const requestDeadlineConfigSchema = z.object({
  REQUEST_DEADLINE_MS: positiveIntSetting(5_000),
});

export function requestDeadlineMs(env: NodeJS.ProcessEnv = process.env): number {
  return loadConfig(requestDeadlineConfigSchema, env).REQUEST_DEADLINE_MS;
}
