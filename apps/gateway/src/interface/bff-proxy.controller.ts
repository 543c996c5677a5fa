import { All, Controller, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ForwardRequestHandler } from '../application/forward-request.handler';
import { RequestContext } from '../application/request-context';
import { UpstreamName } from '../application/upstream';
import { Caller } from './auth.guard';
import { forwardedBody, relay } from './http-relay';

/** Everything under /api/web and /api/mobile goes, on the same path, to the matching backend-for-frontend. */
@Controller('api')
// The BFFs' own routes are documented instead, from their contracts (api-docs/bff-routes.ts).
@ApiExcludeController()
export class BffProxyController {
  constructor(private readonly forward: ForwardRequestHandler) {}

  @All('web/*path')
  web(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    return this.proxy('web-bff', '/api/web/', request, response, caller);
  }

  @All('mobile/*path')
  mobile(@Req() request: Request, @Res() response: Response, @Caller() caller: RequestContext): Promise<void> {
    return this.proxy('mobile-bff', '/api/mobile/', request, response, caller);
  }

  private async proxy(target: UpstreamName, prefix: string, request: Request, response: Response, caller: RequestContext): Promise<void> {
    // Resolve `..` and `%2e%2e` segments here, as fetch would, so a request cannot climb out of the prefix.
    const url = new URL(request.originalUrl, 'http://gateway.invalid');
    if (!url.pathname.startsWith(prefix)) throw new NotFoundException(`Cannot ${request.method} ${request.originalUrl}`);
    const body = forwardedBody(request);
    const forwarded = await this.forward.execute(target, { method: request.method, path: `${url.pathname}${url.search}`, headers: request.headers, body }, caller);
    relay(response, forwarded);
  }
}
