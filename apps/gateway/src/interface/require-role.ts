import { CanActivate, ExecutionContext, HttpStatus, UseGuards } from '@nestjs/common';
import { ApiError } from '@orders/service-runtime';
import type { Request } from 'express';
import { Identity, Role } from '../application/identity';

/** Lets through only callers holding `role`. Runs after the global AuthGuard, which already answered 401 to anonymous callers. */
class RoleGuard implements CanActivate {
  constructor(private readonly role: Role) {}

  canActivate(context: ExecutionContext): boolean {
    const { identity } = context.switchToHttp().getRequest<Request & { identity?: Identity }>();
    if (!identity) throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'A valid bearer token is required');
    if (!identity.roles.includes(this.role)) throw new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `This requires the ${this.role} role`);
    return true;
  }
}

/** Restricts a controller or route to callers with a role. */
export const RequireRole = (role: Role) => UseGuards(new RoleGuard(role));
