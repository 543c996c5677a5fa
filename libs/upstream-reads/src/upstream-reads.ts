import { Injectable } from '@nestjs/common';
import { bearer } from '@orders/caller-tokens';
import { HEADERS, QUERY_ERROR_CODES, QueryDefinition } from '@orders/contracts';
import { QueryClient, QueryFailure } from '@orders/messaging';
import { CircuitBreakerMetrics } from '@orders/metrics';
import { Deadline, DeadlineExceeded } from '@orders/request-context';
import {
  createResiliencePolicy,
  NetworkError,
  type PolicySettings,
  RemoteFailureError,
  RESILIENCE_DEFAULTS,
  type ResiliencePolicy,
  TimeoutError,
  TransientError,
} from '@orders/resilience';
import { CallerContext } from '@orders/service-runtime';
import { ReadFailure } from './read-failure';

/** How the queries to each other service are guarded: attempt timeout, retries, circuit breaker and bulkhead. */
export abstract class QuerySettings {
  abstract readonly policy: PolicySettings;
}

/**
 * Asks other services' queries over NATS request/reply on behalf of a caller, passing on its
 * caller token, its request and correlation ids and its deadline. Every service asked has its own resilience
 * policy (breaker and bulkhead shared by all reads from it, its state on `/metrics`), so one
 * failing service fails fast without holding up reads from the others.
 *
 * A read that fails rejects with a ReadFailure (NOT_FOUND, INVALID, TIMEOUT, or UNAVAILABLE
 * also when the circuit is open or the bulkhead full), or with DeadlineExceeded once the
 * caller's deadline has passed.
 */
@Injectable()
export class UpstreamReads {
  private readonly policies = new Map<string, ResiliencePolicy>();
  private readonly attemptTimeoutMs: number;

  constructor(
    private readonly queries: QueryClient,
    private readonly settings: QuerySettings,
    private readonly breakers: CircuitBreakerMetrics,
  ) {
    this.attemptTimeoutMs = settings.policy.timeoutMs ?? RESILIENCE_DEFAULTS.timeoutMs;
  }

  async read<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, payload: TRequest, caller: CallerContext): Promise<TResponse> {
    // Before the policy too: cockatiel takes any error it does not count as a failure for a successful half-open probe.
    refuseWhenSpent(query.subject, caller.deadline);
    try {
      return await this.policyOf(dependencyOf(query.subject)).execute(() => this.ask(query, payload, caller));
    } catch (error) {
      throw failureOf(error, caller.deadline);
    }
  }

  /** One attempt, its failures told apart the way the breaker needs: the dependency's fault or not. */
  private async ask<TRequest, TResponse>(query: QueryDefinition<TRequest, TResponse>, payload: TRequest, caller: CallerContext): Promise<TResponse> {
    // A retry may start after the deadline: refused here, not by the client, so that it is not held against the dependency below.
    refuseWhenSpent(query.subject, caller.deadline);
    const askedAt = Date.now();
    try {
      return await this.queries.request(query, payload, {
        timeoutMs: this.attemptTimeoutMs,
        deadline: caller.deadline,
        headers: { [HEADERS.requestId]: caller.requestId, [HEADERS.correlationId]: caller.correlationId, [HEADERS.authorization]: bearer(caller.token) },
      });
    } catch (error) {
      // With the default settings the caller's deadline, not the attempt timeout, ends the wait for a
      // service that hangs: that must count against the service too, or its circuit would never open.
      if (error instanceof DeadlineExceeded) throw new TimeoutError(Date.now() - askedAt);
      if (!(error instanceof QueryFailure)) throw error;
      if (error.code === QUERY_ERROR_CODES.deadlineExceeded) throw new TimeoutError(this.attemptTimeoutMs);
      if (error.code === 'UNAVAILABLE') throw new NetworkError(error.message, { cause: error });
      if (error.code === QUERY_ERROR_CODES.internal) throw new RemoteFailureError(error.message, { cause: error });
      throw error;
    }
  }

  private policyOf(dependency: string): ResiliencePolicy {
    let policy = this.policies.get(dependency);
    if (!policy) {
      policy = createResiliencePolicy({ ...this.settings.policy, name: dependency });
      this.breakers.track(policy);
      this.policies.set(dependency, policy);
    }
    return policy;
  }
}

function refuseWhenSpent(subject: string, deadline: Deadline): void {
  if (deadline.isExpired()) throw new DeadlineExceeded(`${subject}: not asked, the request's deadline has passed`);
}

/** The service answering a query: subjects are `query.<context>.<name>`, and each context is one service. */
function dependencyOf(subject: string): string {
  return `${subject.split('.')[1]}-service`;
}

function failureOf(error: unknown, deadline: Deadline): unknown {
  if (error instanceof DeadlineExceeded) return error;
  if (error instanceof TimeoutError) return deadline.isExpired() ? new DeadlineExceeded(error.message) : new ReadFailure('TIMEOUT', error.message);
  if (error instanceof QueryFailure) return ReadFailure.of(error);
  // Unreachable, failed, circuit open, bulkhead full.
  if (error instanceof TransientError) return new ReadFailure('UNAVAILABLE', error.message);
  return error;
}
