import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { CALLER_TOKEN, VerifiedCaller } from './caller-token';

const MAX_CACHED = 10_000;

/**
 * Signs the caller tokens the gateway sends behind it. A token is reused for the same caller
 * until half its lifetime has passed: signing is the costly part, and a token names only the
 * caller, nothing about one request.
 */
export class CallerTokenIssuer {
  private readonly cache = new Map<string, { token: string; renewAtMs: number }>();

  constructor(
    private readonly privateKey: KeyObject,
    private readonly now: () => number = Date.now,
  ) {}

  tokenFor(caller: VerifiedCaller): string {
    const key = `${caller.userId}\n${caller.roles.join(',')}`;
    const nowMs = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.renewAtMs > nowMs) return cached.token;
    const token = jwt.sign({ roles: caller.roles, iat: Math.floor(nowMs / 1000) }, this.privateKey, {
      algorithm: CALLER_TOKEN.algorithm,
      issuer: CALLER_TOKEN.issuer,
      audience: CALLER_TOKEN.audience,
      subject: caller.userId,
      expiresIn: CALLER_TOKEN.lifetimeSeconds,
    });
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { token, renewAtMs: nowMs + (CALLER_TOKEN.lifetimeSeconds * 1000) / 2 });
    return token;
  }
}
