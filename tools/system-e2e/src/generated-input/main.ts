/**
 * Generated bad input: `npm run fuzz [-- flags]`.
 *
 * Starts the whole platform, as the end-to-end tests do, and sends it requests generated with
 * fast-check (requests.ts) for every public route: as the schemas describe them, and with their
 * bodies, query strings, paths, headers, tokens or methods broken. Fails on any 5xx, any 4xx
 * not in the error shape, any request as the schemas describe it answered otherwise than its
 * route says, and any order written for a request that was not answered 202.
 *
 * Flags (or environment variables):
 *   --runs         FUZZ_RUNS         requests to send (default 100000)
 *   --seed         FUZZ_SEED         the same seed sends the same requests (default: random)
 *   --concurrency  FUZZ_CONCURRENCY  requests in flight at once (default 16)
 *   --customers    FUZZ_CUSTOMERS    customers the requests are spread over (default 8)
 *
 * Example, the pass of `npm test` again: npm run fuzz -- --runs 10000 --seed 20261207
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { runWithPlatform } from '../with-platform';
import { formatSummary, GeneratedInputConfig, runGeneratedInput } from './run';

function configOf(argv: string[], env: NodeJS.ProcessEnv): GeneratedInputConfig {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' }, customers: { type: 'string' } } });
  const count = (flag: string | undefined, variable: string | undefined, fallback: number) => {
    const value = Number(flag ?? variable ?? fallback);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`Expected a positive integer, got ${flag ?? variable}`);
    return value;
  };
  return {
    runs: count(values.runs, env.FUZZ_RUNS, 100_000),
    seed: count(values.seed, env.FUZZ_SEED, randomInt(2 ** 31)),
    concurrency: count(values.concurrency, env.FUZZ_CONCURRENCY, 16),
    customers: count(values.customers, env.FUZZ_CUSTOMERS, 8),
  };
}

const config = configOf(process.argv.slice(2), process.env);
const log = (line: string) => console.log(`[fuzz ${new Date().toISOString().slice(11, 19)}] ${line}`);
log(`starting the platform (seed ${config.seed})`);
runWithPlatform({}, async (platform) => {
  const summary = await runGeneratedInput(platform, config, log);
  console.log(formatSummary(summary));
  const unaccounted = summary.writes.flatMap(({ accepted, stored }) => stored.filter(({ orderId }) => !accepted.includes(orderId)));
  const lost = summary.writes.flatMap(({ accepted, stored }) => accepted.filter((orderId) => !stored.some((row) => row.orderId === orderId)));
  for (const order of unaccounted) console.log(`  order ${order.orderId} (Idempotency-Key ${order.idempotencyKey}) was written for a request not answered 202`);
  for (const orderId of lost) console.log(`  order ${orderId} was answered 202 but is not stored`);
  return summary.problems.length === 0 && unaccounted.length === 0 && lost.length === 0 ? 0 : 1;
});
