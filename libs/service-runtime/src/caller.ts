import { createParamDecorator, ExecutionContext, HttpStatus } from '@nestjs/common';
import { CallerTokenVerifier, tokenOfAuthorization, VerifiedCaller } from '@orders/caller-tokens';
import { HEADERS } from '@orders/contracts';
import { Deadline } from '@orders/request-context';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { deadlineOf } from './deadline.middleware';
import { ApiError, ErrorBody } from './http-error.filter';
import { isSafeId } from './safe-id';

/** Who is asking (as the gateway's caller token proves) and the ids that tie the request's work together. */
export interface CallerContext {
  userId: string;
  /** What the gateway lets the user do, e.g. `customer`, `ops`. */
  roles: string[];
  /** The caller token the request came with, passed on to every query made for it. */
  token: string;
  requestId: string;
  /** The gateway's correlation id, else this request's id. */
  correlationId: string;
  /** When the original caller stops waiting: every read made for this request ends by then. */
  deadline: Deadline;
}

interface AuthenticatedRequest extends Request {
  caller?: VerifiedCaller & { token: string };
}

/** What the platform itself calls: probes and Prometheus. Everything else acts for a user. */
function isPlatformRoute(path: string): boolean {
  return /^\/(health\/|metrics$)/i.test(path);
}

/**
 * Every request to an app behind the gateway, but for probes and `/metrics`, must carry a caller
 * token the gateway signed (ADR 0011); anything else is refused 401 before it is routed, so a
 * route cannot forget to check. Identity headers a client sends (`x-user-id` and the like) mean
 * nothing here. Runs after the request-id middleware.
 */
export function callerAuthentication(verifier: CallerTokenVerifier): RequestHandler {
  return (request: AuthenticatedRequest, response: Response, next: NextFunction): void => {
    if (isPlatformRoute(request.path)) return next();
    const token = tokenOfAuthorization(request.headers.authorization);
    const caller = token === undefined ? null : verifier.verify(token);
    if (caller && token !== undefined) {
      request.caller = { ...caller, token };
      return next();
    }
    const body: ErrorBody = {
      error: { code: 'UNAUTHENTICATED', message: 'The request does not carry a valid caller token from the gateway' },
      requestId: String(request.headers[HEADERS.requestId]),
    };
    response.status(HttpStatus.UNAUTHORIZED).setHeader('WWW-Authenticate', 'Bearer').json(body);
  };
}

/** The verified caller of a request that passed `callerAuthentication`; 401 for any other. */
export function callerContextOf(request: Request): CallerContext {
  const { caller } = request as AuthenticatedRequest;
  if (!caller) throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'The request does not carry a valid caller token from the gateway');
  const requestId = String(request.headers[HEADERS.requestId]);
  const correlationId = request.headers[HEADERS.correlationId];
  return {
    userId: caller.userId,
    roles: caller.roles,
    token: caller.token,
    requestId,
    correlationId: isSafeId(correlationId) ? correlationId : requestId,
    deadline: deadlineOf(request),
  };
}

/**
 * The caller of the request, or one part of it: `@Caller() context: CallerContext`,
 * `@Caller('userId') customerId: string`.
 */
export const Caller = createParamDecorator((part: keyof CallerContext | undefined, context: ExecutionContext): CallerContext | CallerContext[keyof CallerContext] => {
  const caller = callerContextOf(context.switchToHttp().getRequest<Request>());
  return part === undefined ? caller : caller[part];
});
