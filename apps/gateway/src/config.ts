import { baseConfigSchema, loadConfig } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'gateway';

/** A base URL without a trailing slash, so request paths can be appended to it. */
const baseUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));

export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ORDER_SERVICE_URL: baseUrl('http://127.0.0.1:3010'),
  WEB_BFF_URL: baseUrl('http://127.0.0.1:3001'),
  MOBILE_BFF_URL: baseUrl('http://127.0.0.1:3002'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
  JWT_ISSUER: z.string().min(1).default('order-platform'),
  JWT_AUDIENCE: z.string().min(1).default('order-platform'),
  /** Lets anyone obtain a token for any user: for local development only. */
  AUTH_DEV_LOGIN_ENABLED: z.stringbool().default(false),
  /** How long the gateway waits for an upstream answer (HTTP and NATS). */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
});

export const gatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
export type GatewayConfig = ReturnType<typeof gatewayConfig>;
