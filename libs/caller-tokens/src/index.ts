export * from './caller-token';
export * from './caller-token-issuer';
export * from './caller-token-keys';
export * from './caller-token-verifier';
export * from './local-caller-tokens';
