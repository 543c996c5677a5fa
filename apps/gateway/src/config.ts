import { callerTokenSigningConfigSchema } from '@orders/caller-tokens';
import { loadConfig } from '@orders/config';
import { baseConfigSchema } from '@orders/service-runtime';
import { resolve } from 'node:path';
import { z } from 'zod';

export const SERVICE_NAME = 'gateway';

/** A base URL without a trailing slash, so request paths can be appended to it. */
const baseUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `false`, `true`, a hop count, or the list of trusted proxies as Express reads it. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'false' || value === '') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export const gatewayConfigSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    ORDER_SERVICE_URL: baseUrl('http://127.0.0.1:3010'),
    WEB_BFF_URL: baseUrl('http://127.0.0.1:3001'),
    MOBILE_BFF_URL: baseUrl('http://127.0.0.1:3002'),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters'),
    JWT_ISSUER: z.string().min(1).default('order-platform'),
    JWT_AUDIENCE: z.string().min(1).default('order-platform'),
    /** Signs the caller tokens the apps behind the gateway verify with the matching public key (ADR 0011). */
    ...callerTokenSigningConfigSchema.shape,
    /** Lets anyone obtain a token for any user: for local development only. */
    AUTH_DEV_LOGIN_ENABLED: z.stringbool().default(false),
    /** The built operations console (`npx nx build ops-console`), served under /ops; relative to the working directory. */
    OPS_CONSOLE_DIR: z
      .string()
      .min(1)
      .default('dist/apps/ops-console')
      .transform((dir) => resolve(dir)),
    /** Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. */
    API_DOCS_ENABLED: z.stringbool().default(true),
    /** How long the gateway waits for an upstream answer (HTTP and NATS). */
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    /**
     * Express's `trust proxy`: which peers may say who the client is in X-Forwarded-For. Off by
     * default, so the client is the peer of the socket and the header cannot be spoofed; set it to
     * the proxies in front of the gateway: a hop count, or addresses and subnets (`10.0.0.0/8`,
     * `loopback`, ...), comma-separated. `true` trusts any peer.
     */
    TRUST_PROXY: z.string().trim().default('false').transform(trustProxy),
    /** Browser origins allowed to call the API, comma-separated (`https://shop.example.com`); none by default. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((origin) => new URL(origin).origin))),
    /** The largest JSON body accepted, in bytes; larger ones are refused with 413. */
    REQUEST_BODY_LIMIT_BYTES: positiveInt(16 * 1024),
    /**
     * Where the rate-limit buckets live: `memory` (each gateway replica counts on its own) or
     * `postgres` (replicas share the buckets in RATE_LIMIT_DATABASE_URL).
     */
    RATE_LIMIT_STORE: z.enum(['memory', 'postgres']).default('memory'),
    /** A database for the rate limiter only (it creates its table there); the gateway keeps nothing else. */
    RATE_LIMIT_DATABASE_URL: z.string().startsWith('postgres').optional(),
    /** Every request under /api, per user (per client IP before login): this many per window of RATE_LIMIT_DURATION_S. */
    RATE_LIMIT_POINTS: positiveInt(600),
    RATE_LIMIT_DURATION_S: positiveInt(60),
    /** Dev logins per client IP. */
    RATE_LIMIT_LOGIN_POINTS: positiveInt(10),
    RATE_LIMIT_LOGIN_DURATION_S: positiveInt(60),
    /** Orders placed per user. */
    RATE_LIMIT_ORDERS_POINTS: positiveInt(30),
    RATE_LIMIT_ORDERS_DURATION_S: positiveInt(60),
  })
  .refine((config) => config.RATE_LIMIT_STORE !== 'postgres' || config.RATE_LIMIT_DATABASE_URL !== undefined, {
    path: ['RATE_LIMIT_DATABASE_URL'],
    message: 'RATE_LIMIT_DATABASE_URL is required when RATE_LIMIT_STORE=postgres',
  });

export const gatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayConfigSchema, env);
export type GatewayConfig = ReturnType<typeof gatewayConfig>;
