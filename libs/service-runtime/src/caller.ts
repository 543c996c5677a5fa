import { CanActivate, createParamDecorator, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { Deadline } from '@orders/messaging';
import type { Request } from 'express';
import { deadlineOf } from './deadline.middleware';
import { ApiError } from './http-error.filter';
import { isSafeId } from './safe-id';

/** The longest user id accepted from the gateway: what `order.placed` accepts as a customer id. */
const MAX_USER_ID_LENGTH = 128;

/** Who is asking (as verified by the gateway) and the ids that tie the request's work together. */
export interface CallerContext {
  userId: string;
  requestId: string;
  /** The gateway's correlation id, else this request's id. */
  correlationId: string;
  /** When the original caller stops waiting: every read made for this request ends by then. */
  deadline: Deadline;
}

/**
 * Reads the caller from the headers the gateway sets after verifying its token (apps behind the
 * gateway are reachable from it only): 401 when `x-user-id` is missing, blank or too long.
 * Relies on the request-id and deadline middlewares having set `x-request-id` and `x-deadline`.
 */
export function callerContextOf(request: Request): CallerContext {
  const { headers } = request;
  const userId = headers[HEADERS.userId];
  if (typeof userId !== 'string' || userId.trim().length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'The request does not say which user it is made for');
  }
  const requestId = String(headers[HEADERS.requestId]);
  const correlationId = headers[HEADERS.correlationId];
  return { userId, requestId, correlationId: isSafeId(correlationId) ? correlationId : requestId, deadline: deadlineOf(request) };
}

/**
 * The caller of the request, or one part of it: `@Caller() context: CallerContext`,
 * `@Caller('userId') customerId: string`. 401 when the gateway did not identify the caller.
 */
export const Caller = createParamDecorator((part: keyof CallerContext | undefined, context: ExecutionContext): CallerContext | CallerContext[keyof CallerContext] => {
  const caller = callerContextOf(context.switchToHttp().getRequest<Request>());
  return part === undefined ? caller : caller[part];
});

/** Refuses (401) a request the gateway did not identify the caller of, before its body or parameters are looked at. */
@Injectable()
export class CallerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    callerContextOf(context.switchToHttp().getRequest<Request>());
    return true;
  }
}
