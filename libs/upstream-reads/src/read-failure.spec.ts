import { CallHandler, ExecutionContext, HttpStatus } from '@nestjs/common';
import { QueryFailure } from '@orders/messaging';
import { ApiError } from '@orders/service-runtime';
import { firstValueFrom, throwError } from 'rxjs';
import { ReadFailure, ReadFailureInterceptor } from './read-failure';

async function answerTo(error: unknown): Promise<unknown> {
  const next: CallHandler = { handle: () => throwError(() => error) };
  return firstValueFrom(new ReadFailureInterceptor('order').intercept({} as ExecutionContext, next)).catch((thrown: unknown) => thrown);
}

describe('ReadFailure.of', () => {
  it.each([
    ['NOT_FOUND', 'NOT_FOUND'],
    ['DEADLINE_EXCEEDED', 'TIMEOUT'],
    ['UNAVAILABLE', 'UNAVAILABLE'],
    ['INTERNAL', 'UNAVAILABLE'],
  ] as const)('makes a %s query failure a %s read failure', (code, reason) => {
    const failure = ReadFailure.of(new QueryFailure(code, 'what happened'));
    expect(failure).toMatchObject({ reason, message: 'what happened' });
  });

  it.each([
    ['INVALID_REQUEST', 'VALIDATION_FAILED'],
    ['INVALID_CURSOR', 'INVALID_CURSOR'],
  ] as const)('makes a %s query failure an INVALID read failure that tells the client %s, as the HTTP API does', (code, refusalCode) => {
    const failure = ReadFailure.of(new QueryFailure(code, 'what happened'));
    expect(failure).toMatchObject({ reason: 'INVALID', refusalCode, message: 'what happened' });
  });
});

describe('ReadFailureInterceptor', () => {
  it.each([
    ['NOT_FOUND', HttpStatus.NOT_FOUND, 'ORDER_NOT_FOUND'],
    ['INVALID', HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED'],
    ['TIMEOUT', HttpStatus.GATEWAY_TIMEOUT, 'UPSTREAM_TIMEOUT'],
    ['UNAVAILABLE', HttpStatus.SERVICE_UNAVAILABLE, 'UPSTREAM_UNAVAILABLE'],
  ] as const)('answers a %s read failure with %i %s', async (reason, status, code) => {
    const answer = await answerTo(new ReadFailure(reason, 'upstream detail'));
    expect(answer).toBeInstanceOf(ApiError);
    expect((answer as ApiError).getStatus()).toBe(status);
    expect((answer as ApiError).getResponse()).toMatchObject({ code });
  });

  it('answers an INVALID read failure with the code of the rule the request broke', async () => {
    const answer = await answerTo(new ReadFailure('INVALID', 'The cursor is not one a previous page returned', 'INVALID_CURSOR'));
    expect((answer as ApiError).getStatus()).toBe(HttpStatus.BAD_REQUEST);
    expect((answer as ApiError).getResponse()).toMatchObject({ code: 'INVALID_CURSOR', message: 'The cursor is not one a previous page returned' });
  });

  it('leaves any other error alone', async () => {
    const error = new Error('boom');
    expect(await answerTo(error)).toBe(error);
  });
});
