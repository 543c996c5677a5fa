import { HttpStatus, Logger } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { Deadline } from '@orders/request-context';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorBody } from './http-error.filter';

export interface DeadlineOptions {
  /** The most time the app gives a request, whatever its caller allows (REQUEST_DEADLINE_MS). */
  maxMs: number;
  /**
   * The gateway faces clients: it starts every request's deadline itself and ignores an
   * `x-deadline` a client sends. Apps behind it inherit their caller's (ADR 0007).
   */
  edge: boolean;
}

const logger = new Logger('Deadline');

/**
 * Settles every request's deadline: the caller's `x-deadline` (unless at the edge), but never
 * later than `maxMs` from now. The header is rewritten to that deadline, for the app's code to
 * read with `deadlineOf` and pass on. A request whose deadline has already passed when it
 * arrives is answered 504 DEADLINE_EXCEEDED at once, before any work is done for it: its
 * caller has stopped waiting. Runs after the request-id middleware.
 */
export function deadlineMiddleware(options: DeadlineOptions): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    const own = Deadline.after(options.maxMs);
    const deadline = options.edge ? own : own.earliest(Deadline.parse(request.headers[HEADERS.deadline]));
    request.headers[HEADERS.deadline] = deadline.toHeader();
    if (!deadline.isExpired()) return next();

    const requestId = String(request.headers[HEADERS.requestId]);
    const overdue = `its deadline passed ${deadline.overdueMs()} ms before it arrived`;
    logger.warn(`Refused ${request.method} ${request.path} (request ${requestId}): ${overdue}`);
    const body: ErrorBody = { error: { code: 'DEADLINE_EXCEEDED', message: `The request was not handled: ${overdue}` }, requestId };
    response.status(HttpStatus.GATEWAY_TIMEOUT).json(body);
  };
}

/** The request's deadline, as the deadline middleware settled it. */
export function deadlineOf(request: Request): Deadline {
  const deadline = Deadline.parse(request.headers[HEADERS.deadline]);
  if (!deadline) throw new Error('The request has no deadline: the deadline middleware must run before its handler');
  return deadline;
}
