import { waitFor } from './index';

describe('waitFor', () => {
  it('returns the first truthy value the check produces', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { description: 'the third call', intervalMs: 5 });
    expect(value).toEqual({ calls: 3 });
  });

  it('treats a throwing check as not ready yet', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        if (++calls < 3) throw new Error('not yet');
        return 'ready';
      },
      { description: 'a check that fails twice', intervalMs: 5 },
    );
    expect(value).toBe('ready');
  });

  it('times out with an error naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        async () => {
          throw new Error('connection refused');
        },
        { description: 'the broker to come back', timeoutMs: 200, intervalMs: 20 },
      ),
    ).rejects.toThrow(/Timed out after 200 ms waiting for the broker to come back \(last error: connection refused\)/);
  });

  it('keeps its timeout even when a check never settles', async () => {
    await expect(waitFor(() => new Promise<boolean>(() => undefined), { description: 'a hanging check', timeoutMs: 100 })).rejects.toThrow(/waiting for a hanging check/);
  });
});
