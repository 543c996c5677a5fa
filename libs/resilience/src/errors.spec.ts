import {
  BulkheadFullError,
  CircuitOpenError,
  HttpStatusError,
  isDependencyFailure,
  isPermanentRefusal,
  isRetryable,
  isTransient,
  NetworkError,
  parseRetryAfter,
  RemoteFailureError,
  TimeoutError,
} from './errors';

describe('failure classification', () => {
  const status = (code: number) => new HttpStatusError(code, `answered ${code}`);

  it.each([
    // failure, transient, retried within the call, a dependency failure for the breaker, a permanent refusal
    ['408', status(408), true, true, true, false],
    ['429', status(429), true, true, false, false],
    ['500', status(500), true, true, true, false],
    ['502', status(502), true, true, true, false],
    ['503', status(503), true, true, true, false],
    ['504', status(504), true, true, true, false],
    ['501', status(501), false, false, true, false],
    ['400', status(400), false, false, false, true],
    ['401', status(401), false, false, false, true],
    ['403', status(403), false, false, false, true],
    ['404', status(404), false, false, false, true],
    ['409', status(409), false, false, false, true],
    ['422', status(422), false, false, false, true],
    ['a network error', new NetworkError('connection refused'), true, true, true, false],
    ['a timeout', new TimeoutError(5_000), true, true, true, false],
    ['a remote failure', new RemoteFailureError('the query failed'), true, true, true, false],
    ['an open circuit', new CircuitOpenError('provider', 1_000), true, false, false, false],
    ['a full bulkhead', new BulkheadFullError('provider'), true, true, false, false],
    ['a bug', new TypeError('x is undefined'), false, false, false, false],
  ])('classifies %s', (_case, error, transient, retryable, dependencyFailure, permanent) => {
    expect({
      transient: isTransient(error),
      retryable: isRetryable(error),
      dependencyFailure: isDependencyFailure(error),
      permanent: isPermanentRefusal(error),
    }).toEqual({ transient, retryable, dependencyFailure, permanent });
  });

  it('keeps the wait an open circuit asks for', () => {
    expect(new CircuitOpenError('provider', 1_234)).toMatchObject({ retryAfterMs: 1_234, name: 'CircuitOpenError' });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date as the time left until then', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 12:00:10 GMT', now)).toBe(10_000);
  });

  it('treats an HTTP-date in the past as no wait', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 11:00:00 GMT', now)).toBe(0);
  });

  it.each([null, undefined, '', 'soon', '-5', '1.5'])('ignores %p', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
