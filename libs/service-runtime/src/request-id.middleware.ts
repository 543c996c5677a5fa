import { HEADERS } from '@orders/contracts';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { isSafeId } from './safe-id';

/** Gives every request an id (a well-formed inbound one is kept) and echoes it in the response. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const inbound = request.headers[HEADERS.requestId];
  const requestId = isSafeId(inbound) ? inbound : randomUUID();
  request.headers[HEADERS.requestId] = requestId;
  response.setHeader(HEADERS.requestId, requestId);
  next();
}
