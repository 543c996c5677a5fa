import { HttpStatus, Injectable, NestMiddleware } from '@nestjs/common';
import { ApiError } from '@orders/service-runtime';
import type { NextFunction, Request, Response } from 'express';
import { AccessTokens } from '../application/access-tokens';
import { Identity } from '../application/identity';
import { RateLimitBucket, RateLimiter, RateLimitOutcome } from '../application/rate-limiter';
import { bearerToken, isApiPath } from './auth.guard';

/** One token to take for a request: from which bucket, and whose. */
export interface RateLimitCharge {
  bucket: RateLimitBucket;
  clientKey: string;
}

/** Routes with a stricter bucket of their own, and whom it counts: token issuing per IP address, orders per user. */
const STRICT_ROUTES: ReadonlyArray<{ route: string; bucket: RateLimitBucket; keyedBy: 'ip' | 'caller' }> = [
  { route: 'POST /api/v1/auth/dev-login', bucket: 'login', keyedBy: 'ip' },
  { route: 'POST /api/v1/orders', bucket: 'orders', keyedBy: 'caller' },
];

/**
 * The tokens a request under /api takes: one from the caller's `api` bucket (the user's when the
 * request carries a valid token, the client IP's otherwise) and one from its route's stricter
 * bucket, if it has one.
 */
export function rateLimitCharges(method: string, path: string, clientIp: string, identity: Identity | null): RateLimitCharge[] {
  const keys = { ip: `ip:${clientIp}`, caller: identity ? `user:${identity.userId}` : `ip:${clientIp}` };
  // Express routes regardless of case and of a trailing slash; so must the buckets.
  const route = `${method.toUpperCase()} ${path.toLowerCase().replace(/\/+$/, '')}`;
  const strict = STRICT_ROUTES.filter((candidate) => candidate.route === route).map(({ bucket, keyedBy }) => ({ bucket, clientKey: keys[keyedBy] }));
  return [{ bucket: 'api', clientKey: keys.caller }, ...strict];
}

/** The outcome the client is told about: the longest-lasting refusal if any, else the bucket closest to empty. */
export function decisiveOutcome(outcomes: readonly RateLimitOutcome[]): RateLimitOutcome {
  const refusals = outcomes.filter((outcome) => !outcome.allowed);
  if (refusals.length > 0) return refusals.reduce((longest, refusal) => (refusal.resetInMs > longest.resetInMs ? refusal : longest));
  return outcomes.reduce((closest, outcome) => (outcome.remaining / outcome.limit < closest.remaining / closest.limit ? outcome : closest));
}

/**
 * `X-RateLimit-Limit` (the bucket's size), `X-RateLimit-Remaining` and `X-RateLimit-Reset` (when it
 * is full again, in Unix seconds); on a refusal also `Retry-After`, in whole seconds, at least 1.
 */
export function rateLimitHeaders(outcome: RateLimitOutcome, nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(outcome.limit),
    'X-RateLimit-Remaining': String(outcome.remaining),
    'X-RateLimit-Reset': String(Math.ceil((nowMs + outcome.resetInMs) / 1000)),
  };
  if (!outcome.allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil(outcome.resetInMs / 1000)));
  return headers;
}

/**
 * Counts every request under /api before anything else is done for it (its body is not even
 * read yet) and answers 429 RATE_LIMITED once the caller's bucket is empty. Identifies the
 * caller from its access token only to pick the bucket; the AuthGuard still decides access.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly tokens: AccessTokens,
  ) {}

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    if (!isApiPath(request.path)) return next();
    try {
      const token = bearerToken(request);
      const identity = token ? await this.tokens.verify(token) : null;
      const charges = rateLimitCharges(request.method, request.path, request.ip ?? 'unknown', identity);
      const outcome = decisiveOutcome(await Promise.all(charges.map(({ bucket, clientKey }) => this.limiter.take(bucket, clientKey))));
      const headers = rateLimitHeaders(outcome, Date.now());
      response.set(headers);
      if (outcome.allowed) return next();
      const retryAfterSeconds = Number(headers['Retry-After']);
      const details = { bucket: outcome.bucket, limit: outcome.limit, retryAfterSeconds };
      next(new ApiError(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s`, details));
    } catch (error) {
      next(error);
    }
  }
}
