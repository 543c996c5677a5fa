import { LocalCallerTokens } from '@orders/caller-tokens';
import { HEADERS } from '@orders/contracts';
import { Deadline } from '@orders/request-context';
import type { NextFunction, Request, Response } from 'express';
import { callerAuthentication, callerContextOf } from './caller';
import { ApiError } from './http-error.filter';

const callers = new LocalCallerTokens();
const deadline = Deadline.after(5_000);
const requestTo = (path: string, headers: Record<string, string> = {}): Request =>
  ({ path, headers: { [HEADERS.requestId]: 'req-1', [HEADERS.deadline]: deadline.toHeader(), ...headers } }) as unknown as Request;

/** Runs the middleware: the status it answered with, or 'next' when it let the request through. */
function authenticate(request: Request): { outcome: number | 'next'; body?: unknown } {
  let answered: { outcome: number | 'next'; body?: unknown } = { outcome: 'next' };
  const response = {
    status(code: number) {
      answered = { outcome: code };
      return this;
    },
    setHeader() {
      return this;
    },
    json(body: unknown) {
      answered.body = body;
      return this;
    },
  } as unknown as Response;
  callerAuthentication(callers.verifier)(request, response, (() => undefined) as NextFunction);
  return answered;
}

describe('callerAuthentication', () => {
  it('lets a request with the gateway’s caller token through and gives its handler the verified caller', () => {
    const authorization = callers.authorizationFor('alice');
    const request = requestTo('/internal/orders', { authorization, [HEADERS.correlationId]: 'corr-1' });
    expect(authenticate(request).outcome).toBe('next');
    expect(callerContextOf(request)).toEqual({
      userId: 'alice',
      roles: ['customer'],
      token: authorization.slice('Bearer '.length),
      requestId: 'req-1',
      correlationId: 'corr-1',
      deadline,
    });
  });

  it.each([
    ['no credentials', {}],
    ['identity headers only', { 'x-user-id': 'alice', 'x-user-roles': 'ops' }],
    ['a token signed with another key', { authorization: new LocalCallerTokens().authorizationFor('alice') }],
    ['a malformed authorization header', { authorization: 'Bearer not a token' }],
    ['another scheme', { authorization: 'Basic YWxpY2U6c2VjcmV0' }],
  ])('answers 401 UNAUTHENTICATED in the error shape to a request with %s', (_label, headers: Record<string, string>) => {
    expect(authenticate(requestTo('/api/web/v1/orders/x', headers))).toEqual({
      outcome: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: expect.any(String) }, requestId: 'req-1' },
    });
  });

  it.each(['/health/live', '/health/ready', '/metrics', '/HEALTH/live'])('leaves %s open to probes and Prometheus', (path) => {
    expect(authenticate(requestTo(path)).outcome).toBe('next');
  });

  it.each(['/healthz', '/metrics/extra', '/internal/metrics', '/health'])('guards %s like any other route', (path) => {
    expect(authenticate(requestTo(path)).outcome).toBe(401);
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'corr with spaces'],
    ['too long', 'c'.repeat(129)],
  ])('correlates with the request id when the correlation id is %s', (_label, correlationId) => {
    const headers: Record<string, string> = { authorization: callers.authorizationFor('alice') };
    if (correlationId !== undefined) headers[HEADERS.correlationId] = correlationId;
    const request = requestTo('/internal/orders', headers);
    authenticate(request);
    expect(callerContextOf(request).correlationId).toBe('req-1');
  });

  it('refuses to make a caller context of a request the middleware did not verify', () => {
    expect(() => callerContextOf(requestTo('/internal/orders', { 'x-user-id': 'alice' }))).toThrow(ApiError);
  });
});
