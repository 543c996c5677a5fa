import { policyConfigSchema, policySettingsOf, providerPolicyConfigSchema, providerPolicySettings } from './provider-policy-config';

describe('policy settings from the environment', () => {
  it('reads every setting from its prefixed variable', () => {
    const config = policyConfigSchema('QUERY').parse({
      QUERY_TIMEOUT_MS: '800',
      QUERY_RETRY_ATTEMPTS: '2',
      QUERY_RETRY_BASE_MS: '20',
      QUERY_RETRY_MAX_MS: '400',
      QUERY_BREAKER_THRESHOLD: '3',
      QUERY_BREAKER_WINDOW_MS: '5000',
      QUERY_BREAKER_HALF_OPEN_MS: '1000',
      QUERY_BULKHEAD_LIMIT: '4',
      QUERY_BULKHEAD_QUEUE: '0',
      PROVIDER_TIMEOUT_MS: '9',
    });

    expect(policySettingsOf('QUERY', config)).toEqual({
      timeoutMs: 800,
      retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 400 },
      breaker: { threshold: 3, windowMs: 5_000, halfOpenAfterMs: 1_000 },
      bulkhead: { limit: 4, queue: 0 },
    });
  });

  it('leaves unset variables undefined, so the policy defaults apply', () => {
    const settings = providerPolicySettings(providerPolicyConfigSchema.parse({ PROVIDER_BREAKER_THRESHOLD: '7' }));

    expect(settings).toEqual({
      timeoutMs: undefined,
      retry: { attempts: undefined, baseDelayMs: undefined, maxDelayMs: undefined },
      breaker: { threshold: 7, windowMs: undefined, halfOpenAfterMs: undefined },
      bulkhead: { limit: undefined, queue: undefined },
    });
  });

  it('refuses settings that make no sense, naming them', () => {
    const parsed = policyConfigSchema('QUERY').safeParse({ QUERY_RETRY_ATTEMPTS: '0', QUERY_BULKHEAD_QUEUE: '-1', QUERY_TIMEOUT_MS: 'soon' });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['QUERY_BULKHEAD_QUEUE', 'QUERY_RETRY_ATTEMPTS', 'QUERY_TIMEOUT_MS']);
  });
});
