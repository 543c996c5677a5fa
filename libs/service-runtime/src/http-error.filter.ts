import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { DeadlineExceeded } from '@orders/request-context';
import { DomainError } from '@orders/shared-kernel';
import type { Request, Response } from 'express';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

/** Thrown by controllers to answer with a specific status and machine-readable code. */
export class ApiError extends HttpException {
  /** @param headers sent with the answer, e.g. `Retry-After`. */
  constructor(
    status: HttpStatus,
    code: string,
    message: string,
    details?: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ code, message, details }, status);
  }
}

/**
 * Gives every error one shape: `{ error: { code, message, details? }, requestId }`.
 * Broken business rules are 422; a request that ran out of time before its deadline is
 * 504 DEADLINE_EXCEEDED; anything unexpected is a 500 whose cause is logged, never shown to
 * the caller.
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
    if (exception instanceof ApiError) response.set(exception.headers);
    response.status(status).json(body);
  }

  private describe(exception: unknown, request: Request): { status: number; error: ErrorBody['error'] } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const unreadableBody = bodyParserFailure(exception.cause);
      if (unreadableBody) return { status, error: unreadableBody };
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
    if (exception instanceof DeadlineExceeded) {
      // The detail names the services behind this one: logged, not shown.
      this.logger.warn(`${request.method} ${request.path} gave up at its deadline: ${exception.message}`);
      return { status: HttpStatus.GATEWAY_TIMEOUT, error: { code: 'DEADLINE_EXCEEDED', message: 'The request could not be answered before its deadline' } };
    }
    this.logger.error(`Unhandled error on ${request.method} ${request.path}`, exception instanceof Error ? exception.stack : String(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, error: { code: 'INTERNAL', message: 'Something went wrong on our side' } };
  }
}

/**
 * Why Express's body parser refused a body (Nest hands its error on as the cause of an
 * HttpException), said so that a client can tell a broken body from a bad value.
 */
function bodyParserFailure(cause: unknown): ErrorBody['error'] | undefined {
  if (typeof cause !== 'object' || cause === null || !('type' in cause)) return undefined;
  const { type, message, limit } = cause as { type: unknown; message?: unknown; limit?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return { code: 'MALFORMED_JSON', message: `The request body is not a valid JSON object or array: ${String(message)}` };
    case 'entity.too.large':
      return { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than the ${String(limit)} bytes accepted` };
    case 'charset.unsupported':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body must be UTF-8 encoded' };
    case 'encoding.unsupported':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The Content-Encoding of the request body is not accepted' };
    default:
      return undefined;
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
