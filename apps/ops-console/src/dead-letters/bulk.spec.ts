import { ApiFailure } from '../api';
import { describeOutcome, inBatches } from './bulk';

describe('acting on many dead letters', () => {
  it('sends them in batches of the gateway’s limit and goes on past the batches and dead letters that fail', async () => {
    const batches: number[][] = [];
    const outcome = await inBatches([3, 5, 8, 13, 21], 2, async (batch) => {
      batches.push(batch);
      if (batch.includes(8)) throw new ApiFailure(503, 'AUDIT_UNAVAILABLE', 'The audit trail cannot be written or read; nothing was done');
      return { done: batch.filter((id) => id !== 5), failed: batch.includes(5) ? [{ id: 5, problem: 'gone' }] : [] };
    });

    expect(batches).toEqual([[3, 5], [8, 13], [21]]);
    expect(outcome).toEqual({
      done: [3, 21],
      failed: [
        { id: 5, problem: 'gone' },
        { id: 8, problem: '503 AUDIT_UNAVAILABLE: The audit trail cannot be written or read; nothing was done' },
        { id: 13, problem: '503 AUDIT_UNAVAILABLE: The audit trail cannot be written or read; nothing was done' },
      ],
    });
    expect(describeOutcome('Replayed', { done: [3, 8], failed: [{ id: 5, problem: 'gone' }] })).toBe('Replayed 2 of 3. Not replayed: #5: gone');
    expect(describeOutcome('Discarded', { done: [1], failed: [] })).toBe('Discarded 1 of 1.');
  });
});
