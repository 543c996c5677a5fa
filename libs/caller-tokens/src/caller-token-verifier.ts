import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { CALLER_TOKEN, tokenOfAuthorization, VerifiedCaller } from './caller-token';

const MAX_CACHED = 10_000;

const claimsSchema = z.object({
  sub: z.string().min(1).max(128),
  roles: z.array(z.string().min(1).max(32)).max(16),
  exp: z.number(),
});

/**
 * Checks caller tokens: signature (ES256 only, with the gateway's public key), issuer, audience
 * and expiry. A token already verified is remembered until it expires, since the gateway reuses
 * each caller's token for many requests.
 */
export class CallerTokenVerifier {
  private readonly verified = new Map<string, { caller: VerifiedCaller; expiresAtMs: number }>();

  constructor(
    private readonly publicKey: KeyObject,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller an `authorization` header proves, or null when it proves nothing. */
  callerOf(authorization: string | undefined | null): VerifiedCaller | null {
    const token = tokenOfAuthorization(authorization);
    return token === undefined ? null : this.verify(token);
  }

  verify(token: string): VerifiedCaller | null {
    const nowMs = this.now();
    const cached = this.verified.get(token);
    if (cached) return cached.expiresAtMs > nowMs ? cached.caller : null;
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.publicKey, {
        algorithms: [CALLER_TOKEN.algorithm],
        issuer: CALLER_TOKEN.issuer,
        audience: CALLER_TOKEN.audience,
        clockTolerance: CALLER_TOKEN.clockToleranceSeconds,
        clockTimestamp: Math.floor(nowMs / 1000),
      });
    } catch {
      return null;
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const caller = { userId: claims.data.sub, roles: claims.data.roles };
    if (this.verified.size >= MAX_CACHED) this.verified.clear();
    this.verified.set(token, { caller, expiresAtMs: (claims.data.exp + CALLER_TOKEN.clockToleranceSeconds) * 1000 });
    return caller;
  }
}
