import { baseConfigSchema, loadConfig } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'mobile-bff';

export const mobileBffConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** How long to wait for each query to another service. */
  QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
});

export const mobileBffConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(mobileBffConfigSchema, env);
export type MobileBffConfig = ReturnType<typeof mobileBffConfig>;
