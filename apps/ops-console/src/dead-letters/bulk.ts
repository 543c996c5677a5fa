import { describeFailure } from '../api';

export interface BulkOutcome {
  done: number[];
  failed: Array<{ id: number; problem: string }>;
}

/**
 * Runs `action` on each dead letter in turn, oldest first as listed, going on past failures (one
 * that is gone already answers 404), so that one bad entry does not hold back the rest.
 */
export async function onEach(ids: readonly number[], action: (id: number) => Promise<unknown>): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { done: [], failed: [] };
  for (const id of ids) {
    try {
      await action(id);
      outcome.done.push(id);
    } catch (error) {
      outcome.failed.push({ id, problem: describeFailure(error) });
    }
  }
  return outcome;
}

export function describeOutcome(verb: string, outcome: BulkOutcome): string {
  const total = outcome.done.length + outcome.failed.length;
  const failures = outcome.failed.map(({ id, problem }) => `#${id}: ${problem}`).join('; ');
  return `${verb} ${outcome.done.length} of ${total}.${failures ? ` Not ${verb.toLowerCase()}: ${failures}` : ''}`;
}
