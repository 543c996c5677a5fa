import type { DeadLetterSummary } from '../api';

/** What dead letters are grouped by: the consumer that gave up on them, or what went wrong. */
export type Grouping = 'consumer' | 'error';

export interface DeadLetterGroup {
  key: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  deadLetters: DeadLetterSummary[];
}

export interface DeadLetterFilter {
  service: string;
  /** Matched, ignoring case, against the error, the subject and the consumer. */
  text: string;
}

export const NO_FILTER: DeadLetterFilter = { service: '', text: '' };

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const NUMBER = /\b\d+\b/g;

/**
 * The error with what differs from one message to the next (order ids, amounts, sequences)
 * blanked out, so that one cause makes one group.
 */
export function errorSignature(error: string): string {
  return error.replace(UUID, '…').replace(NUMBER, 'N');
}

function groupKey(deadLetter: DeadLetterSummary, grouping: Grouping): string {
  return grouping === 'consumer' ? `${deadLetter.service} / ${deadLetter.consumer}` : errorSignature(deadLetter.error);
}

export function matchesFilter(deadLetter: DeadLetterSummary, filter: DeadLetterFilter): boolean {
  if (filter.service && deadLetter.service !== filter.service) return false;
  const text = filter.text.trim().toLowerCase();
  return !text || [deadLetter.error, deadLetter.subject, deadLetter.consumer].some((field) => field.toLowerCase().includes(text));
}

/** Groups with the most dead letters first; within a group, oldest first. */
export function groupDeadLetters(deadLetters: readonly DeadLetterSummary[], grouping: Grouping): DeadLetterGroup[] {
  const groups = new Map<string, DeadLetterSummary[]>();
  for (const deadLetter of deadLetters) {
    const key = groupKey(deadLetter, grouping);
    groups.set(key, [...(groups.get(key) ?? []), deadLetter]);
  }
  return [...groups.entries()]
    .map(([key, members]) => {
      const byTime = [...members].sort((a, b) => a.failedAt.localeCompare(b.failedAt));
      return { key, count: byTime.length, firstSeen: byTime[0].failedAt, lastSeen: byTime[byTime.length - 1].failedAt, deadLetters: byTime };
    })
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The services that have dead letters, for the filter's choices. */
export function servicesOf(deadLetters: readonly DeadLetterSummary[]): string[] {
  return [...new Set(deadLetters.map((deadLetter) => deadLetter.service))].sort();
}

/** The order a dead letter is about, when its payload is an event envelope that names one. */
export function orderIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const data = (payload as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const orderId = (data as { orderId?: unknown }).orderId;
  return typeof orderId === 'string' ? orderId : undefined;
}

export function attempts(count: number): string {
  return count === 1 ? '1 attempt' : `${count} attempts`;
}
