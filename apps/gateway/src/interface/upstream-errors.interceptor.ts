import { CallHandler, ExecutionContext, HttpStatus, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { ApiError } from '@orders/service-runtime';
import { catchError, Observable, throwError } from 'rxjs';
import { AuditUnavailable } from '../application/audit-trail';
import { UpstreamTimeout, UpstreamUnavailable } from '../application/upstream';

/**
 * Answers 503 when a service behind the gateway cannot be reached and 504 when it is too slow, without
 * naming it, and 503 AUDIT_UNAVAILABLE when an operator's action could not be audited (and so was not performed).
 */
@Injectable()
export class UpstreamErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger(UpstreamErrorsInterceptor.name);

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => this.translate(error))));
  }

  private translate(error: unknown): unknown {
    if (error instanceof UpstreamTimeout) {
      this.logger.warn(error.message);
      return new ApiError(HttpStatus.GATEWAY_TIMEOUT, 'UPSTREAM_TIMEOUT', 'A service needed for this request did not answer in time');
    }
    if (error instanceof UpstreamUnavailable) {
      this.logger.warn(error.message);
      return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'UPSTREAM_UNAVAILABLE', 'A service needed for this request is unavailable; try again later');
    }
    if (error instanceof AuditUnavailable) {
      this.logger.error(error.message);
      return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'AUDIT_UNAVAILABLE', 'The audit trail cannot be written or read; nothing was done');
    }
    return error;
  }
}
