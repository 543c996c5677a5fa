import { policyConfigSchema } from '@orders/resilience';
import { loadConfig } from '@orders/config';
import { behindGatewayConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'mobile-bff';

export const mobileBffConfigSchema = behindGatewayConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /**
   * How each other service's queries are guarded (QUERY_TIMEOUT_MS per attempt,
   * QUERY_RETRY_*, QUERY_BREAKER_*, QUERY_BULKHEAD_*); unset, the platform's defaults (`RESILIENCE_DEFAULTS`) apply.
   */
  ...policyConfigSchema('QUERY').shape,
});

export const mobileBffConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(mobileBffConfigSchema, env);
export type MobileBffConfig = ReturnType<typeof mobileBffConfig>;
