import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { ApiError } from '@orders/service-runtime';
import { catchError, Observable, throwError } from 'rxjs';
import { ReadFailure } from '../application/order-reads';

/** 404 for an order that is not there, 504 when order-service is too slow, 503 when it cannot answer. */
@Injectable()
export class ReadFailureInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => (error instanceof ReadFailure ? toApiError(error) : error))));
  }
}

function toApiError(failure: ReadFailure): ApiError {
  switch (failure.reason) {
    case 'NOT_FOUND':
      return new ApiError(HttpStatus.NOT_FOUND, 'ORDER_NOT_FOUND', 'No such order');
    case 'TIMEOUT':
      return new ApiError(HttpStatus.GATEWAY_TIMEOUT, 'UPSTREAM_TIMEOUT', 'Orders could not be read in time');
    case 'UNAVAILABLE':
      return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'UPSTREAM_UNAVAILABLE', 'Orders cannot be read right now; try again later');
  }
}
