/** Who a request is made for, as the gateway established from the client's access token. */
export interface VerifiedCaller {
  userId: string;
  roles: string[];
}

/**
 * The gateway signs caller tokens with its private key; every app behind it verifies them with
 * the public key only, so no app but the gateway can speak for a user (ADR 0011).
 */
export const CALLER_TOKEN = {
  algorithm: 'ES256',
  issuer: 'order-platform-gateway',
  audience: 'order-platform-internal',
  /** Long enough to outlive any request's deadline, short enough that a leaked token soon expires. */
  lifetimeSeconds: 60,
  /** Tolerated difference between the gateway's clock and a verifier's. */
  clockToleranceSeconds: 5,
} as const;

/** The `authorization` header value that carries a caller token, HTTP and NATS alike. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** The token in an `authorization` header value, if it holds one. */
export function tokenOfAuthorization(value: string | undefined | null): string | undefined {
  return value ? BEARER.exec(value)?.[1] : undefined;
}
