import { ExecutionContext, HttpStatus } from '@nestjs/common';
import { HEADERS } from '@orders/contracts';
import { Deadline } from '@orders/messaging';
import type { Request } from 'express';
import { callerContextOf, CallerGuard } from './caller';
import { ApiError } from './http-error.filter';

const deadline = Deadline.after(5_000);
const requestWith = (headers: Record<string, string>): Request =>
  ({ headers: { [HEADERS.requestId]: 'req-1', [HEADERS.deadline]: deadline.toHeader(), ...headers } }) as unknown as Request;

const httpContext = (request: Request): ExecutionContext => ({ switchToHttp: () => ({ getRequest: () => request }) }) as unknown as ExecutionContext;

function refusal(request: Request): ApiError {
  try {
    callerContextOf(request);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the caller was accepted');
}

describe('callerContextOf', () => {
  it('reads the user the gateway identified and passes its correlation id and deadline on', () => {
    expect(callerContextOf(requestWith({ [HEADERS.userId]: 'alice', [HEADERS.correlationId]: 'corr-1' }))).toEqual({
      userId: 'alice',
      requestId: 'req-1',
      correlationId: 'corr-1',
      deadline,
    });
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'corr with spaces'],
    ['too long', 'c'.repeat(129)],
  ])('correlates with the request id when the correlation id is %s', (_label, correlationId) => {
    const headers: Record<string, string> = { [HEADERS.userId]: 'alice' };
    if (correlationId !== undefined) headers[HEADERS.correlationId] = correlationId;
    expect(callerContextOf(requestWith(headers)).correlationId).toBe('req-1');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'u'.repeat(129)],
  ])('refuses with 401 UNAUTHENTICATED when the user id is %s', (_label, userId) => {
    const error = refusal(requestWith(userId === undefined ? {} : { [HEADERS.userId]: userId }));
    expect(error.getStatus()).toBe(HttpStatus.UNAUTHORIZED);
    expect(error.getResponse()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('CallerGuard', () => {
  it('lets an identified caller through and refuses anyone else', () => {
    const guard = new CallerGuard();
    expect(guard.canActivate(httpContext(requestWith({ [HEADERS.userId]: 'alice' })))).toBe(true);
    expect(() => guard.canActivate(httpContext(requestWith({})))).toThrow(ApiError);
  });
});
