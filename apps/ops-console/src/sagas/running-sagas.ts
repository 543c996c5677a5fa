import type { RunningSaga } from '../api';
import { orderIdOf } from '../dead-letters/groups';
import { formatDuration } from './timeline';

/** The ids of the dead letters about each order, lowest first, from the order id in their payload. */
export function deadLettersByOrder(deadLetters: ReadonlyArray<{ id: number; payload: unknown }>): Map<string, number[]> {
  const byOrder = new Map<string, number[]>();
  for (const { id, payload } of [...deadLetters].sort((a, b) => a.id - b.id)) {
    const orderId = orderIdOf(payload);
    if (orderId) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), id]);
  }
  return byOrder;
}

/**
 * How long the saga has left before its deadline, `sinceReadMs` after it was read. Counted from its
 * age as the server read it rather than from the browser's clock, which may not agree with the server's.
 */
export function msLeftAt(saga: Pick<RunningSaga, 'placedAt' | 'ageMs' | 'deadline'>, sinceReadMs: number): number {
  return Date.parse(saga.deadline) - Date.parse(saga.placedAt) - saga.ageMs - sinceReadMs;
}

export function formatCountdown(msLeft: number): string {
  return msLeft >= 0 ? `${formatDuration(msLeft)} left` : `overdue by ${formatDuration(-msLeft)}`;
}
