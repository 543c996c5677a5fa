import { createParamDecorator, ExecutionContext, HttpStatus } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { ApiError } from '@orders/service-runtime';
import type { Request } from 'express';
import { RequestContext } from '../application/request-context';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The caller as identified by the gateway in `x-user-id` (this app is reachable from the
 * gateway only), plus the request and correlation ids to pass on.
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const { headers } = context.switchToHttp().getRequest<Request>();
  const userId = headers[HEADERS.userId];
  if (typeof userId !== 'string' || userId === '') {
    throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'The caller is not identified');
  }
  const requestId = String(headers[HEADERS.requestId]);
  const correlationId = headers[HEADERS.correlationId];
  return { userId, requestId, correlationId: typeof correlationId === 'string' && SAFE_ID.test(correlationId) ? correlationId : requestId };
});
