import { CanActivate, createParamDecorator, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { ApiError } from '@orders/service-runtime';
import type { Request } from 'express';

/** Ids the gateway may pass on: what `order.placed` accepts as a customer id. */
const MAX_CALLER_ID_LENGTH = 128;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The internal API is called only by the gateway, which has verified the caller's
 * token and passes who it is in `x-user-id`. Without it the request is refused
 * (401) before its body or parameters are looked at.
 */
@Injectable()
export class InternalCallerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    callerOf(context.switchToHttp().getRequest<Request>());
    return true;
  }
}

/** The id of the customer the request is made for. */
export const CallerId = createParamDecorator((_data: unknown, context: ExecutionContext): string => callerOf(context.switchToHttp().getRequest<Request>()));

/** One request header as a string (undefined when absent), to validate with a pipe. */
export const RequestHeader = createParamDecorator((name: string, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<Request>().headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
});

/** What links the order's events to the request: the gateway's correlation id, else this request's id. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const { headers } = context.switchToHttp().getRequest<Request>();
  const inbound = headers[HEADERS.correlationId];
  // The request-id middleware always sets a well-formed x-request-id.
  return typeof inbound === 'string' && SAFE_ID.test(inbound) ? inbound : String(headers[HEADERS.requestId]);
});

function callerOf(request: Request): string {
  const value = request.headers[HEADERS.userId];
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_CALLER_ID_LENGTH) {
    throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'The request does not say which user it is made for');
  }
  return value;
}
