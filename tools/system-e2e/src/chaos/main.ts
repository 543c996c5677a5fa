/**
 * Chaos soak: `npm run chaos [-- flags]`.
 *
 * Starts the whole platform (7 apps, both provider simulators) on a private NATS server
 * and throw-away databases (with `--topology cluster`: two replicas of every app behind
 * their proxies, a three-node JetStream cluster, and the services' databases on a Postgres
 * of the run's own), places orders through the gateway at a steady rate with a mix
 * of normal, declined, undeliverable (AQ), out-of-stock, cancelled and duplicated orders,
 * and meanwhile SIGKILLs apps, restarts NATS, cuts services' Postgres connections and
 * makes the payment provider and the carrier throttle, fail or crawl. Then it stops the
 * faults and the load, waits for quiescence, checks the invariants (invariants.ts),
 * replays every dead letter, waits again and checks everything once more with the
 * dead-letter queue empty. Prints a summary, writes it as JSON and exits 0 only if no
 * invariant was violated.
 *
 * Defaults: 600 s of load at 10 orders/s (> 5,000 orders), 8 customers; a SIGKILL every
 * ~10 s, a NATS restart (3 s down) every ~60 s, a Postgres connection drop every ~15 s,
 * a 5 s provider burst every ~20 s (intervals vary ±50 %); clients give up after 90 s;
 * 600 s to reach quiescence; summary in bench/results/chaos.json.
 *
 * On the cluster a SIGKILL hits one replica at a time; every ~45 s a NATS node (often a
 * stream's or the metadata's leader) is restarted, killed or put into lame-duck mode; and
 * once per run two of the three nodes go down for 130 s, one service replica is frozen
 * (SIGSTOP) for 130 s, every service restarts one replica at a time, and one service's
 * Postgres restarts (10 s down; the seed chooses the service). Any dead letter is then a violation: every fault is
 * transient. Summary in bench/results/chaos-cluster.json.
 *
 * Flags (or environment variables), times in seconds, 0 turns a fault off:
 *   --topology            CHAOS_TOPOLOGY              single (default) or cluster; sets the defaults
 *   --duration            CHAOS_DURATION_S            seconds of load and faults
 *   --rate                CHAOS_RATE                  orders started per second
 *   --customers           CHAOS_CUSTOMERS             customers placing orders
 *   --max-in-flight       CHAOS_MAX_IN_FLIGHT         orders in flight at most
 *   --kill-interval       CHAOS_KILL_INTERVAL_S       mean seconds between SIGKILLs of an app
 *   --nats-interval       CHAOS_NATS_INTERVAL_S       mean seconds between NATS restarts
 *   --nats-downtime       CHAOS_NATS_DOWNTIME_S       seconds NATS stays down per restart
 *   --db-interval         CHAOS_DB_INTERVAL_S         mean seconds between Postgres connection drops
 *   --provider-interval   CHAOS_PROVIDER_INTERVAL_S   mean seconds between provider fault bursts
 *   --provider-burst      CHAOS_PROVIDER_BURST_S      seconds a provider burst lasts
 *   --quorum-loss         CHAOS_QUORUM_LOSS_S         cluster: seconds two of the three NATS nodes stay down, once
 *   --freeze              CHAOS_FREEZE_S              cluster: seconds one service replica stays frozen, once
 *   --rolling-restarts    CHAOS_ROLLING_RESTARTS      cluster: services restarted one replica at a time, once
 *   --postgres-downtime   CHAOS_POSTGRES_DOWNTIME_S   cluster: seconds one service's Postgres stays down, once
 *   --give-up             CHAOS_GIVE_UP_S             seconds a client retries an unanswered request
 *   --quiescence-timeout  CHAOS_QUIESCENCE_TIMEOUT_S  seconds to wait for every saga to settle
 *   --scarce-stock        CHAOS_SCARCE_STOCK          units on hand of the scarce SKU
 *   --seed                CHAOS_SEED                  seed of the order mix and fault schedule (default: random)
 *   --output              CHAOS_OUTPUT                where the JSON summary goes
 *
 * Example, three minutes at 5 orders/s: npm run chaos -- --duration 180 --rate 5
 * The replicated topology: npm run chaos -- --topology cluster
 */
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { runWithPlatform } from '../with-platform';
import { chaosUsage, fullRunOf, parseChaosConfig } from './config';
import { formatSummary, writeSummary } from './report';
import { chaosPlatformOptions, runChaos } from './run';

const REPOSITORY_ROOT = resolve(__dirname, '../../../..');

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log(chaosUsage());
} else {
  const config = parseChaosConfig(argv, process.env, (topology) => ({ ...fullRunOf(topology), seed: randomInt(2 ** 31) }));
  const log = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`starting the platform (${config.topology} topology)`);
  runWithPlatform(chaosPlatformOptions(config), async (platform) => {
    const summary = await runChaos(platform, config, log);
    console.log(formatSummary(summary));
    if (config.output) {
      const file = resolve(REPOSITORY_ROOT, config.output);
      await writeSummary(file, summary);
      log(`summary written to ${file}`);
    }
    return summary.violations.length === 0 ? 0 : 1;
  });
}
