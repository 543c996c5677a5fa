import { CanActivate, createParamDecorator, ExecutionContext, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HEADERS } from '@orders/contracts';
import { ApiError, deadlineOf } from '@orders/service-runtime';
import type { Request, Response } from 'express';
import { AccessTokens } from '../application/access-tokens';
import { Identity } from '../application/identity';
import { RequestContext } from '../application/request-context';

const IS_PUBLIC = 'gateway:public';

/** Marks a route under /api that answers without an access token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

interface AuthenticatedRequest extends Request {
  identity?: Identity;
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Every route under /api requires a valid bearer token unless it is marked @Public().
 * The verified identity is attached to the request; nothing the client sends about
 * its own identity is ever used.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!isApiPath(request.path)) return true;
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;

    const token = bearerToken(request);
    const identity = token ? await this.tokens.verify(token) : null;
    if (!identity) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'A valid bearer token is required');
    }
    request.identity = identity;
    return true;
  }
}

/** The access token a request presents, if it has one at all. */
export function bearerToken(request: Request): string | undefined {
  return BEARER.exec(request.headers.authorization ?? '')?.[1];
}

/** Express matches routes regardless of case, so `/API/v1/orders` is an API path too. */
export function isApiPath(path: string): boolean {
  return /^\/api(\/|$)/i.test(path);
}

/** The verified caller, the request id and the deadline of an authenticated request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.identity) throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'A valid bearer token is required');
  return { identity: request.identity, requestId: String(request.headers[HEADERS.requestId]), deadline: deadlineOf(request) };
});
