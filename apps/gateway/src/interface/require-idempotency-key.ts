import { CanActivate, ExecutionContext, HttpStatus, UseGuards } from '@nestjs/common';
import { HEADERS, idempotencyKeySchema } from '@orders/contracts';
import { ApiError } from '@orders/service-runtime';
import type { Request } from 'express';

/**
 * 400 IDEMPOTENCY_KEY_REQUIRED when the header is missing or blank, 400 INVALID_IDEMPOTENCY_KEY
 * when it is malformed (too long, a character outside the allowed set, or sent twice, which
 * arrives joined by a comma). Runs after the AuthGuard, before the body is looked at.
 */
class IdempotencyKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const key = context.switchToHttp().getRequest<Request>().headers[HEADERS.idempotencyKey];
    if (key === undefined || (typeof key === 'string' && key.trim() === '')) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'IDEMPOTENCY_KEY_REQUIRED', 'This request requires an Idempotency-Key header');
    }
    const parsed = idempotencyKeySchema.safeParse(key);
    if (!parsed.success) throw new ApiError(HttpStatus.BAD_REQUEST, 'INVALID_IDEMPOTENCY_KEY', parsed.error.issues[0].message);
    return true;
  }
}

/** For commands a client may safely retry: they must name the attempt with an Idempotency-Key. */
export const RequireIdempotencyKey = () => UseGuards(new IdempotencyKeyGuard());
