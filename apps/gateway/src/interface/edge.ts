import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { HEADERS } from '@orders/contracts';
import { ApiError } from '@orders/service-runtime';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { isUtf8 } from 'node:buffer';
import { GatewayConfig } from '../config';
import { serveApiDocs } from './api-docs/api-docs';
import { isApiPath } from './auth.guard';
import { serveOpsConsole } from './ops-console';
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
 * only, in UTF-8, at most REQUEST_BODY_LIMIT_BYTES, never compressed). A request is thus refused
 * before its body is read and long before anything is forwarded. Last, the API documentation
 * and the operations console.
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
    app.useBodyParser('raw', { type: JSON_MEDIA_TYPE, limit: config.REQUEST_BODY_LIMIT_BYTES, inflate: false });
    app.use(parseJsonBodies);
    serveApiDocs(app, config);
    serveOpsConsole(app, config);
  };
}

/** Orders and tokens must not linger in shared or browser caches. */
function noStoreForApi(request: Request, response: Response, next: NextFunction): void {
  if (isApiPath(request.path)) response.setHeader('Cache-Control', 'no-store');
  next();
}

/** RFC 9110's `type/subtype *( OWS ";" OWS name=value )`, a value a token or a quoted string; an empty parameter is not accepted. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAMETER = `(${TOKEN})=(${TOKEN}|"(?:[^"\\\\]|\\\\.)*")`;
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})((?:[ \\t]*;[ \\t]*${PARAMETER})*)[ \\t]*$`);
const PARAMETERS = new RegExp(PARAMETER, 'g');
const UTF8_NAMES = ['utf-8', 'utf8'];
/** How the body is described to the JSON parser and to the service it is forwarded to, once accepted. */
const JSON_MEDIA_TYPE = 'application/json';

/**
 * 415 for a body that is not JSON in UTF-8 (RFC 8259), whatever the route: the API has no other
 * kind. The accepted spellings (`charset=utf8`, any case, quoted) are then written the one way
 * the parser and the services behind know.
 */
function requireJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  const length = request.headers['content-length'];
  const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return next();
  if (!isJsonInUtf8(request.headers['content-type'] ?? '')) {
    return next(new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json in UTF-8'));
  }
  request.headers['content-type'] = JSON_MEDIA_TYPE;
  next();
}

function isJsonInUtf8(contentType: string): boolean {
  const mediaType = MEDIA_TYPE.exec(contentType);
  if (!mediaType || `${mediaType[1]}/${mediaType[2]}`.toLowerCase() !== JSON_MEDIA_TYPE) return false;
  const parameters = [...mediaType[3].matchAll(PARAMETERS)].map(([, name, value]) => [name.toLowerCase(), value.replace(/^"|"$/g, '').toLowerCase()]);
  return parameters.every(([name, value]) => name !== 'charset' || UTF8_NAMES.includes(value));
}

/**
 * Parses a JSON body read as bytes, a JSON object or array only. Bytes that are not UTF-8 are
 * refused, where Express's JSON parser would read them as U+FFFD. Failures are SyntaxErrors like
 * that parser's, answered 400 MALFORMED_JSON the same way.
 */
function parseJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (!Buffer.isBuffer(body)) return next();
  // What Express's parser makes of a body of no bytes, which the route's validation then refuses.
  if (body.length === 0) {
    request.body = {};
    return next();
  }
  try {
    if (!isUtf8(body)) throw new SyntaxError('the bytes are not UTF-8');
    // A byte order mark is not JSON, but RFC 8259 lets a parser ignore it, as Express's does.
    const parsed: unknown = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
    if (typeof parsed !== 'object' || parsed === null) throw new SyntaxError(`${JSON.stringify(parsed)} is neither`);
    request.body = parsed;
    next();
  } catch (error) {
    next(Object.assign(error as SyntaxError, { status: HttpStatus.BAD_REQUEST, type: 'entity.parse.failed' }));
  }
}
