import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry, RetryPolicy } from 'cockatiel';

/**
 * What a JetStream request sees while the NATS server restarts or a cluster elects its meta
 * leader: no answer in time (a request made while disconnected times out even after the
 * connection is back), no JetStream API answering yet, or a 503 "JetStream system temporarily
 * unavailable".
 */
export function isNatsRestarting(error: unknown): boolean {
  const cause = error instanceof errors.RequestError && error.cause !== undefined ? error.cause : error;
  return (
    cause instanceof errors.TimeoutError ||
    cause instanceof errors.NoRespondersError ||
    // The JetStream client reports no responders on its API as JetStreamNotEnabled, a class it does not export.
    (cause instanceof Error && cause.name === 'JetStreamNotEnabled') ||
    (cause instanceof JetStreamApiError && cause.status === 503)
  );
}

/**
 * About 90 s of back-off in all, plus up to a request timeout per attempt: far longer than a
 * restart, short enough that a server that never comes back is reported.
 */
const ATTEMPTS = 20;

/**
 * Retries `what` (idempotent start-up work) through a NATS restart or a JetStream leader
 * election instead of failing the start-up.
 */
export function retryThroughNatsRestart(logger: Logger, what: string): RetryPolicy {
  const policy = retry(handleWhen(isNatsRestarting), { maxAttempts: ATTEMPTS, backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 5_000 }) });
  policy.onRetry(({ delay, attempt, ...outcome }) => {
    const reason = 'error' in outcome ? (outcome.error as Error).message : 'no answer';
    logger.warn(
      `${what} failed (${reason}); JetStream is not available yet (NATS restarting or electing a leader), trying again in ${Math.round(delay)} ms (attempt ${attempt} of ${ATTEMPTS})`,
    );
  });
  return policy;
}
