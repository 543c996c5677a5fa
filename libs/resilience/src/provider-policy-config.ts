import { z } from 'zod';
import type { ResiliencePolicyOptions } from './resilience-policy';

export type PolicySettings = Omit<ResiliencePolicyOptions, 'name'>;

const positiveInteger = z.coerce.number().int().positive().optional();

/**
 * Environment settings of the policy guarding a service's external provider. Each one is
 * optional: left out, the default from BRIEF §6 (`RESILIENCE_DEFAULTS`) applies. Extend a
 * service's config schema with `.extend(providerPolicyConfigSchema.shape)`.
 */
export const providerPolicyConfigSchema = z.object({
  PROVIDER_TIMEOUT_MS: positiveInteger,
  PROVIDER_RETRY_ATTEMPTS: positiveInteger,
  PROVIDER_RETRY_BASE_MS: positiveInteger,
  PROVIDER_RETRY_MAX_MS: positiveInteger,
  PROVIDER_BREAKER_THRESHOLD: positiveInteger,
  PROVIDER_BREAKER_WINDOW_MS: positiveInteger,
  PROVIDER_BREAKER_HALF_OPEN_MS: positiveInteger,
  PROVIDER_BULKHEAD_LIMIT: positiveInteger,
  PROVIDER_BULKHEAD_QUEUE: z.coerce.number().int().nonnegative().optional(),
});
export type ProviderPolicyConfig = z.output<typeof providerPolicyConfigSchema>;

export function providerPolicySettings(config: ProviderPolicyConfig): PolicySettings {
  return {
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    retry: { attempts: config.PROVIDER_RETRY_ATTEMPTS, baseDelayMs: config.PROVIDER_RETRY_BASE_MS, maxDelayMs: config.PROVIDER_RETRY_MAX_MS },
    breaker: {
      threshold: config.PROVIDER_BREAKER_THRESHOLD,
      windowMs: config.PROVIDER_BREAKER_WINDOW_MS,
      halfOpenAfterMs: config.PROVIDER_BREAKER_HALF_OPEN_MS,
    },
    bulkhead: { limit: config.PROVIDER_BULKHEAD_LIMIT, queue: config.PROVIDER_BULKHEAD_QUEUE },
  };
}
