import { formatSummary, GeneratedInputConfig, runGeneratedInput } from './generated-input/run';
import { platformForSuite } from './support/platform';

/** `npm run fuzz` sends as many as it is asked; this is the pass of every `npm test`, always the same requests. */
const PASS: GeneratedInputConfig = { runs: 10_000, seed: 20_261_207, concurrency: 16, customers: 8 };

describe('generated input at the gateway, end to end', () => {
  const platform = platformForSuite();

  it('answers every generated request to every public route without a 5xx, refusals in the error shape, and writes nothing for them', async () => {
    const summary = await runGeneratedInput(platform, PASS, (line) => process.stdout.write(`[generated input] ${line}\n`));
    process.stdout.write(`${formatSummary(summary)}\n`);

    expect(summary.problems).toEqual([]);
    expect(Object.values(summary.statuses).reduce((sum, count) => sum + count, 0)).toBe(PASS.runs);
    // Both kinds were sent, and some orders went through, so the check of what was written is not empty.
    expect(summary.unchanged).toBeGreaterThan(PASS.runs / 10);
    expect(summary.writes.flatMap(({ accepted }) => accepted).length).toBeGreaterThan(0);
    // order-service holds exactly the orders it answered 202 for, each with one Idempotency-Key: nothing for a request it refused.
    expect(summary.writes.map(({ user, stored }) => ({ user, orders: stored.map(({ orderId }) => orderId) }))).toEqual(
      summary.writes.map(({ user, accepted }) => ({ user, orders: accepted })),
    );
  }, 300_000);
});
