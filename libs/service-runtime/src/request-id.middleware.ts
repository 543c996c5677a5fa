import { HEADERS } from '@orders/contracts';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (a well-formed inbound one is kept) and echoes it in the response. */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const inbound = request.headers[HEADERS.requestId];
  const requestId = typeof inbound === 'string' && SAFE_ID.test(inbound) ? inbound : randomUUID();
  request.headers[HEADERS.requestId] = requestId;
  response.setHeader(HEADERS.requestId, requestId);
  next();
}
