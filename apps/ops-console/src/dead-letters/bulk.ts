import { describeFailure } from '../api';

export interface BulkOutcome {
  done: number[];
  failed: Array<{ id: number; problem: string }>;
}

/**
 * Has the gateway act on the dead letters in batches of at most `size` (its limit per call), oldest
 * first as listed. The gateway goes on past dead letters that fail; a batch that fails as a whole
 * (e.g. 503) counts each of its dead letters as failed, and the next batches still run.
 */
export async function inBatches(ids: readonly number[], size: number, act: (batch: number[]) => Promise<BulkOutcome>): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { done: [], failed: [] };
  for (let start = 0; start < ids.length; start += size) {
    const batch = ids.slice(start, start + size);
    try {
      const answer = await act(batch);
      outcome.done.push(...answer.done);
      outcome.failed.push(...answer.failed);
    } catch (error) {
      outcome.failed.push(...batch.map((id) => ({ id, problem: describeFailure(error) })));
    }
  }
  return outcome;
}

export function describeOutcome(verb: string, outcome: BulkOutcome): string {
  const total = outcome.done.length + outcome.failed.length;
  const failures = outcome.failed.map(({ id, problem }) => `#${id}: ${problem}`).join('; ');
  return `${verb} ${outcome.done.length} of ${total}.${failures ? ` Not ${verb.toLowerCase()}: ${failures}` : ''}`;
}
