import { baseConfigSchema, loadConfig } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'web-bff';

export const webBffConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** How long to wait for each query to another service. */
  QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
});

export const webBffConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(webBffConfigSchema, env);
export type WebBffConfig = ReturnType<typeof webBffConfig>;
