import { policyConfigSchema } from '@orders/resilience';
import { loadConfig } from '@orders/config';
import { behindGatewayConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'web-bff';

export const webBffConfigSchema = behindGatewayConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /**
   * How each other service's queries are guarded (QUERY_TIMEOUT_MS per attempt,
   * QUERY_RETRY_*, QUERY_BREAKER_*, QUERY_BULKHEAD_*); unset, the platform's defaults (`RESILIENCE_DEFAULTS`) apply.
   */
  ...policyConfigSchema('QUERY').shape,
});

export const webBffConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(webBffConfigSchema, env);
export type WebBffConfig = ReturnType<typeof webBffConfig>;
