import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HEADERS } from '@orders/contracts';
import { ApiError } from '@orders/service-runtime';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { GatewayConfig } from '../config';
import { serveApiDocs } from './api-docs/api-docs';
import { isApiPath } from './auth.guard';
import { RateLimitMiddleware } from './rate-limit.middleware';

/**
 * Security headers for a JSON API: its answers are never rendered, framed or cached as
 * pages, so the content security policy allows nothing at all. HSTS, nosniff,
 * `Referrer-Policy: no-referrer` and the cross-origin policies are helmet's defaults;
 * `X-Powered-By` is removed.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
});

/** Request headers a browser on an allowed origin may send, and response headers its scripts may read. */
const CORS_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', HEADERS.requestId, HEADERS.traceparent];
const CORS_EXPOSED_HEADERS = ['Location', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', HEADERS.requestId];

/**
 * The gateway's Express set-up ahead of routing, in the order requests meet it: who the
 * client is (`trust proxy`), security headers, CORS, the rate limit, then bodies (JSON
 * only, at most REQUEST_BODY_LIMIT_BYTES, never compressed). A request is thus refused
 * before its body is read and long before anything is forwarded. Last, the API documentation.
 */
export function configureEdge(config: GatewayConfig): (app: NestExpressApplication) => void {
  return (app) => {
    app.set('trust proxy', config.TRUST_PROXY);
    app.use(securityHeaders);
    app.use(noStoreForApi);
    if (config.CORS_ORIGINS.length > 0) {
      app.enableCors({ origin: config.CORS_ORIGINS, allowedHeaders: CORS_REQUEST_HEADERS, exposedHeaders: CORS_EXPOSED_HEADERS, maxAge: 600 });
    }
    const rateLimit = app.get(RateLimitMiddleware);
    app.use((request: Request, response: Response, next: NextFunction) => void rateLimit.use(request, response, next));
    app.use(requireJsonBodies);
    app.useBodyParser('json', { limit: config.REQUEST_BODY_LIMIT_BYTES, inflate: false });
    serveApiDocs(app, config);
  };
}

/** Orders and tokens must not linger in shared or browser caches. */
function noStoreForApi(request: Request, response: Response, next: NextFunction): void {
  if (isApiPath(request.path)) response.setHeader('Cache-Control', 'no-store');
  next();
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/** 415 for a body that is not JSON in UTF-8 (RFC 8259), whatever the route: the API has no other kind. */
function requireJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  const length = request.headers['content-length'];
  const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return next();
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase() ?? 'utf-8';
  if (request.is('application/json') && (charset === 'utf-8' || charset === 'utf8')) return next();
  next(new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json in UTF-8'));
}
