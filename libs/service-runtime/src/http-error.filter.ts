import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { DomainError } from '@orders/shared-kernel';
import type { Request, Response } from 'express';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

/** Thrown by controllers to answer with a specific status and machine-readable code. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, code: string, message: string, details?: unknown) {
    super({ code, message, details }, status);
  }
}

/**
 * Gives every error one shape: `{ error: { code, message, details? }, requestId }`.
 * Broken business rules are 422; anything unexpected is a 500 whose cause is logged,
 * never shown to the caller.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = String(request.headers[HEADERS.requestId] ?? '');
    const { status, error } = this.describe(exception, request);
    const body: ErrorBody = { error, requestId };
    response.status(status).json(body);
  }

  private describe(exception: unknown, request: Request): { status: number; error: ErrorBody['error'] } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && 'code' in payload && typeof payload.code === 'string') {
        const { code, message, details } = payload as { code: string; message?: unknown; details?: unknown };
        return { status, error: { code, message: String(message ?? exception.message), details } };
      }
      return { status, error: { code: codeForStatus(status), message: messageOf(payload, exception.message) } };
    }
    if (exception instanceof DomainError) {
      return { status: HttpStatus.UNPROCESSABLE_ENTITY, error: { code: exception.code, message: exception.message } };
    }
    this.logger.error(`Unhandled error on ${request.method} ${request.path}`, exception instanceof Error ? exception.stack : String(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, error: { code: 'INTERNAL', message: 'Something went wrong on our side' } };
  }
}

function codeForStatus(status: number): string {
  return (HttpStatus[status] as string | undefined) ?? 'ERROR';
}

function messageOf(payload: unknown, fallback: string): string {
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}
