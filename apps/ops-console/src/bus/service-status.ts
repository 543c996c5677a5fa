import type { ReplicaState } from '../api';
import { formatDuration } from '../sagas/timeline';

/** The OutboxStuck alert's threshold: an older unpublished row means events are not leaving the service. */
export const STUCK_OUTBOX_AGE_SECONDS = 60;

export function formatBreaker(breaker: ReplicaState['breakers'][number]): string {
  if (breaker.state !== 'open') return `${breaker.dependency}: ${breaker.state}`;
  const reopens = breaker.halfOpenInMs === null ? '' : `, trial call in ${formatDuration(breaker.halfOpenInMs)}`;
  return `${breaker.dependency}: open${reopens}`;
}

export function formatOutbox(outbox: ReplicaState['outbox']): string {
  if (outbox === null) return 'unknown';
  if (outbox.rows === 0) return 'empty';
  return `${outbox.rows} unpublished, oldest ${formatDuration(Math.round(outbox.oldestAgeSeconds * 1_000))} old`;
}

/** A replica an operator should look at: not ready, events stuck in its outbox, or a breaker not closed. */
export function needsAttention(replica: ReplicaState): boolean {
  const stuck = replica.outbox === null || replica.outbox.oldestAgeSeconds > STUCK_OUTBOX_AGE_SECONDS;
  return !replica.ready || stuck || replica.breakers.some((breaker) => breaker.state !== 'closed');
}
