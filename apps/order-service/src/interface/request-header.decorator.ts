import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** One request header as a string (undefined when absent), to validate with a pipe. */
export const RequestHeader = createParamDecorator((name: string, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<Request>().headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
});
