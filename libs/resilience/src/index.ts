export * from './errors';
export * from './failure-window-breaker';
export * from './json-http-client';
export * from './provider-policy-config';
export * from './resilience-policy';
