import { ContractViolation } from '@orders/contracts';
import { BulkheadFullError, CircuitOpenError, NetworkError } from '@orders/resilience';
import { PermanentFailure } from '@orders/shared-kernel';
import { describeError, isDependencyUnavailable, isPermanentFailure, requestedRetryDelayMs } from './handler-failure';

describe('handler failures', () => {
  it.each([
    ['a contract violation', new ContractViolation('Message body is not valid JSON')],
    ['a permanent failure', new PermanentFailure('the provider refuses this card')],
    ['a subclass of PermanentFailure', new (class CardRejected extends PermanentFailure {})('rejected')],
    ['the plain object an RPC exception filter made of one', { name: 'PermanentFailure', message: 'refused' }],
  ])('treats %s as permanent', (_label, error) => {
    expect(isPermanentFailure(error)).toBe(true);
  });

  it.each([
    ['a plain error', new Error('connection reset')],
    ['what the default RPC exception filter makes of any error', { status: 'error', message: 'Internal server error' }],
    ['a string', 'boom'],
    ['nothing', undefined],
  ])('treats %s as transient', (_label, error) => {
    expect(isPermanentFailure(error)).toBe(false);
  });

  it.each([
    ['a refused connection to the database', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' })],
    ['a connection the server terminated', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a server still starting up', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a connection exception', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    [
      'what TypeORM wraps around one',
      Object.assign(new Error('terminating connection'), { name: 'QueryFailedError', driverError: { code: '57P01', message: 'terminating connection' } }),
    ],
  ])('takes %s for an unavailable database', (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['an open circuit', new CircuitOpenError('provider', 5_000)],
    ['a full bulkhead', new BulkheadFullError('provider')],
    ['the plain object an RPC exception filter made of an open circuit', { name: 'CircuitOpenError', message: 'open', retryAfterMs: 5_000 }],
  ])('tells that a dependency is unavailable from %s', (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a dependency that failed to answer', new NetworkError('connection refused')],
    ['a plain error', new Error('circuit open')],
    ['a query the database refused', Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })],
    ['a statement the client timed out', new Error('Query read timeout')],
    ['a permanent failure', new PermanentFailure('refused')],
    ['nothing', undefined],
  ])('does not take %s for an unavailable dependency', (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });

  it('reads the delay a provider asked for, when there is a sensible one', () => {
    expect(requestedRetryDelayMs(Object.assign(new Error('429'), { retryAfterMs: 2_000 }))).toBe(2_000);
    expect(requestedRetryDelayMs({ message: '429', retryAfterMs: 500 })).toBe(500);
    for (const retryAfterMs of [0, -1, Number.NaN, '2000', undefined]) expect(requestedRetryDelayMs({ retryAfterMs })).toBeUndefined();
    expect(requestedRetryDelayMs(null)).toBeUndefined();
  });

  it('describes errors however they arrive', () => {
    expect(describeError(new Error('connection reset'))).toBe('connection reset');
    expect(describeError({ status: 'error', message: 'Internal server error' })).toBe('Internal server error');
    expect(describeError('boom')).toBe('boom');
  });
});
