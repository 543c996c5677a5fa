import { ApiFailure } from '../api';
import { describeOutcome, onEach } from './bulk';

describe('acting on many dead letters', () => {
  it('acts on each in turn and goes on past the ones that fail', async () => {
    const seen: number[] = [];
    const outcome = await onEach([3, 5, 8], async (id) => {
      seen.push(id);
      if (id === 5) throw new ApiFailure(404, 'DEAD_LETTER_NOT_FOUND', 'There is no dead letter 5');
    });

    expect(seen).toEqual([3, 5, 8]);
    expect(outcome).toEqual({ done: [3, 8], failed: [{ id: 5, problem: '404 DEAD_LETTER_NOT_FOUND: There is no dead letter 5' }] });
    expect(describeOutcome('Replayed', outcome)).toBe('Replayed 2 of 3. Not replayed: #5: 404 DEAD_LETTER_NOT_FOUND: There is no dead letter 5');
    expect(describeOutcome('Discarded', { done: [1], failed: [] })).toBe('Discarded 1 of 1.');
  });
});
