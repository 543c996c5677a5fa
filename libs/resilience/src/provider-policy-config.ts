import { z } from 'zod';
import type { ResiliencePolicyOptions } from './resilience-policy';

export type PolicySettings = Omit<ResiliencePolicyOptions, 'name'>;

const positiveInteger = z.coerce.number().int().positive().optional();

/** Every policy setting's variable name after its prefix, and what it accepts. */
const POLICY_VARIABLES = {
  TIMEOUT_MS: positiveInteger,
  RETRY_ATTEMPTS: positiveInteger,
  RETRY_BASE_MS: positiveInteger,
  RETRY_MAX_MS: positiveInteger,
  BREAKER_THRESHOLD: positiveInteger,
  BREAKER_WINDOW_MS: positiveInteger,
  BREAKER_HALF_OPEN_MS: positiveInteger,
  BULKHEAD_LIMIT: positiveInteger,
  BULKHEAD_QUEUE: z.coerce.number().int().nonnegative().optional(),
};
type PolicyVariable = keyof typeof POLICY_VARIABLES;
type PolicyConfigShape<TPrefix extends string> = { [TVariable in PolicyVariable as `${TPrefix}_${TVariable}`]: (typeof POLICY_VARIABLES)[TVariable] };
export type PolicyConfig<TPrefix extends string> = { [TVariable in PolicyVariable as `${TPrefix}_${TVariable}`]?: number };

/**
 * Environment settings of a policy, named `<prefix>_TIMEOUT_MS`, `<prefix>_RETRY_ATTEMPTS` and so
 * on. Each one is optional: left out, the platform's default (`RESILIENCE_DEFAULTS`) applies.
 * Extend a service's config schema with `.extend(policyConfigSchema('QUERY').shape)`.
 */
export function policyConfigSchema<TPrefix extends string>(prefix: TPrefix) {
  const shape = Object.fromEntries(Object.entries(POLICY_VARIABLES).map(([variable, schema]) => [`${prefix}_${variable}`, schema]));
  return z.object(shape as PolicyConfigShape<TPrefix>);
}

/** The policy settings read by `policyConfigSchema(prefix)`. */
export function policySettingsOf<TPrefix extends string>(prefix: TPrefix, config: PolicyConfig<TPrefix>): PolicySettings {
  const setting = (variable: PolicyVariable): number | undefined => (config as Record<string, number | undefined>)[`${prefix}_${variable}`];
  return {
    timeoutMs: setting('TIMEOUT_MS'),
    retry: { attempts: setting('RETRY_ATTEMPTS'), baseDelayMs: setting('RETRY_BASE_MS'), maxDelayMs: setting('RETRY_MAX_MS') },
    breaker: { threshold: setting('BREAKER_THRESHOLD'), windowMs: setting('BREAKER_WINDOW_MS'), halfOpenAfterMs: setting('BREAKER_HALF_OPEN_MS') },
    bulkhead: { limit: setting('BULKHEAD_LIMIT'), queue: setting('BULKHEAD_QUEUE') },
  };
}

/** Environment settings of the policy guarding a service's external provider: `PROVIDER_TIMEOUT_MS` and so on. */
export const providerPolicyConfigSchema = policyConfigSchema('PROVIDER');
export type ProviderPolicyConfig = z.output<typeof providerPolicyConfigSchema>;

export function providerPolicySettings(config: ProviderPolicyConfig): PolicySettings {
  return policySettingsOf('PROVIDER', config);
}
