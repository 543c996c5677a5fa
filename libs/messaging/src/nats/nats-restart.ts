import { errors } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry, RetryPolicy } from 'cockatiel';

/**
 * What a JetStream request sees while the NATS server restarts: no answer in time (a request
 * made while disconnected times out even after the connection is back), or no JetStream API
 * answering yet.
 */
export function isNatsRestarting(error: unknown): boolean {
  const cause = error instanceof errors.RequestError && error.cause !== undefined ? error.cause : error;
  // The JetStream client reports no responders on its API as JetStreamNotEnabled, a class it does not export.
  return cause instanceof errors.TimeoutError || cause instanceof errors.NoRespondersError || (cause instanceof Error && cause.name === 'JetStreamNotEnabled');
}

/**
 * About 90 s of back-off in all, plus up to a request timeout per attempt: far longer than a
 * restart, short enough that a server that never comes back is reported.
 */
const ATTEMPTS = 20;

/** Retries `what` (idempotent start-up work) through a NATS restart instead of failing the start-up. */
export function retryThroughNatsRestart(logger: Logger, what: string): RetryPolicy {
  const policy = retry(handleWhen(isNatsRestarting), { maxAttempts: ATTEMPTS, backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 5_000 }) });
  policy.onRetry(({ delay, attempt, ...outcome }) => {
    const reason = 'error' in outcome ? (outcome.error as Error).message : 'no answer';
    logger.warn(`${what} failed (${reason}); NATS may be restarting, trying again in ${Math.round(delay)} ms (attempt ${attempt} of ${ATTEMPTS})`);
  });
  return policy;
}
