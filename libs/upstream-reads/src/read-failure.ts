import { CallHandler, ExecutionContext, HttpStatus, NestInterceptor } from '@nestjs/common';
import { QUERY_ERROR_CODES } from '@orders/contracts';
import { QueryFailure } from '@orders/messaging';
import { ApiError } from '@orders/service-runtime';
import { catchError, Observable, throwError } from 'rxjs';

export type ReadFailureReason = 'NOT_FOUND' | 'INVALID' | 'TIMEOUT' | 'UNAVAILABLE';

const VALIDATION_FAILED = 'VALIDATION_FAILED';

/**
 * The code a client gets for each way a service refuses a query as invalid: the code the HTTP API
 * gives the same mistake, so that it reads the same on v1, web and mobile.
 */
const REFUSAL_CODES: ReadonlyMap<string, string> = new Map([
  [QUERY_ERROR_CODES.invalidRequest, VALIDATION_FAILED],
  [QUERY_ERROR_CODES.invalidCursor, 'INVALID_CURSOR'],
]);

/** A read from another service that found nothing, was refused as invalid, took too long or could not be answered. */
export class ReadFailure extends Error {
  constructor(
    readonly reason: ReadFailureReason,
    message: string,
    /** What the client is told about an INVALID read: which rule its request broke. */
    readonly refusalCode = VALIDATION_FAILED,
  ) {
    super(message);
    this.name = 'ReadFailure';
  }

  /**
   * The failure of a query: NOT_FOUND stays NOT_FOUND, a refusal (INVALID_REQUEST, or
   * INVALID_CURSOR for a client's malformed cursor) is INVALID, running out of time is a
   * TIMEOUT, anything else UNAVAILABLE.
   */
  static of(failure: QueryFailure): ReadFailure {
    const refusalCode = REFUSAL_CODES.get(failure.code);
    return refusalCode ? new ReadFailure('INVALID', failure.message, refusalCode) : new ReadFailure(reasonOf(failure), failure.message);
  }
}

function reasonOf(failure: QueryFailure): ReadFailureReason {
  if (failure.code === 'NOT_FOUND') return 'NOT_FOUND';
  if (failure.code === 'DEADLINE_EXCEEDED') return 'TIMEOUT';
  return 'UNAVAILABLE';
}

/**
 * Answers a ReadFailure that reaches the controller: 404 `<RESOURCE>_NOT_FOUND` for a resource
 * that is not there, 400 with the refusal's code (`VALIDATION_FAILED`, `INVALID_CURSOR`) when the
 * service refused what the client asked for,
 * 504 `UPSTREAM_TIMEOUT` when it cannot be read in time, 503
 * `UPSTREAM_UNAVAILABLE` when it cannot be read at all. Use as
 * `@UseInterceptors(new ReadFailureInterceptor('order'))`.
 */
export class ReadFailureInterceptor implements NestInterceptor {
  /** @param resource what the controller reads, in lower case, e.g. `order`. */
  constructor(private readonly resource: string) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => (error instanceof ReadFailure ? this.toApiError(error) : error))));
  }

  private toApiError(failure: ReadFailure): ApiError {
    switch (failure.reason) {
      case 'NOT_FOUND':
        return new ApiError(HttpStatus.NOT_FOUND, `${this.resource.toUpperCase()}_NOT_FOUND`, `No such ${this.resource}`);
      case 'INVALID':
        return new ApiError(HttpStatus.BAD_REQUEST, failure.refusalCode, failure.message);
      case 'TIMEOUT':
        return new ApiError(HttpStatus.GATEWAY_TIMEOUT, 'UPSTREAM_TIMEOUT', `The ${this.resource} data could not be read in time`);
      case 'UNAVAILABLE':
        return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'UPSTREAM_UNAVAILABLE', `The ${this.resource} data cannot be read right now; try again later`);
    }
  }
}
