import { PROCESS_NAMES, replicaNamesOf, ServiceName, SERVICES } from '@orders/local-stack';
import { Platform, PlatformOptions, StockRow } from '../support/platform';
import { checkCausalOrder, readStoredEvents } from './causal-order';
import { compensationRates } from './compensation-rate';
import { ChaosConfig, STACK_TOPOLOGIES } from './config';
import { DeadLetterEntry, DeadLetterQueue, groupDeadLetters } from './dead-letters';
import { gatherEvidence } from './evidence';
import { countFaults, FaultInjector, faultKindsOf } from './fault-injector';
import { Observations, observe } from './ground-truth';
import { checkInvariants, InvariantResult, Violation } from './invariants';
import { ConsumerSnapshot, redeliveries } from './jetstream-state';
import { acceptedOrderIds, ClientOrder, Customer, keyOf, LoadGenerator } from './load-generator';
import { MIX_KINDS, PLENTIFUL_SKUS, PLENTIFUL_STOCK, SCARCE_SKU } from './order-mix';
import { Quiescence, waitForQuiescence } from './quiescence';
import { seededRandom } from './random';
import { ChaosSummary, invariantChecks, OrderCounts } from './report';
import { RetryingClient } from './retrying-client';

/** The platform as the chaos run wants it: the production defaults, nothing tuned to make it pass. */
export const CHAOS_PLATFORM_OPTIONS: PlatformOptions = {};

/**
 * The platform of a run: single leaves it to STACK_REPLICAS and STACK_NATS_CLUSTER (one of each by default);
 * on the cluster one service's database, chosen by the seed, lives on a Postgres of the run's own, which it restarts.
 */
export function chaosPlatformOptions({ topology, seed }: Pick<ChaosConfig, 'topology' | 'seed'>): PlatformOptions {
  return topology === 'cluster' ? { ...CHAOS_PLATFORM_OPTIONS, topology: STACK_TOPOLOGIES.cluster, ownPostgres: restartedDatabaseOf(seed) } : CHAOS_PLATFORM_OPTIONS;
}

/** The service whose Postgres a cluster run restarts: each in turn as the seed changes. */
export function restartedDatabaseOf(seed: number): ServiceName {
  return SERVICES[seed % SERVICES.length];
}

const PROGRESS_EVERY_MS = 10_000;

/**
 * The whole soak: orders under faults, then quiescence, the invariants, a replay of
 * every dead letter, quiescence again and the invariants once more with the
 * dead-letter queue empty. The run passes only if `violations` is empty.
 */
export function runChaos(platform: Platform, config: ChaosConfig, log: (line: string) => void): Promise<ChaosSummary> {
  return new ChaosRun(platform, config, log).run();
}

class ChaosRun {
  private readonly violations: Violation[] = [];
  private readonly summary: ChaosSummary;
  private orders: readonly ClientOrder[] = [];

  constructor(
    private readonly platform: Platform,
    private readonly config: ChaosConfig,
    private readonly log: (line: string) => void,
  ) {
    const { output: _output, ...shownConfig } = config;
    this.summary = {
      seed: config.seed,
      topology: { name: config.topology, ...STACK_TOPOLOGIES[config.topology] },
      config: shownConfig,
      loadSeconds: 0,
      orders: countOrders([]),
      clientRetries: 0,
      faults: countFaults([], faultKindsOf(config.topology)),
      faultLog: [],
      quiescenceSeconds: {},
      deadLetters: { beforeReplay: 0, groups: [] },
      invariants: { beforeReplay: [], afterReplay: [] },
      violations: [],
      evidence: {},
    };
  }

  async run(): Promise<ChaosSummary> {
    const { customers, deadLetterQueue, baseline } = await this.prepare();
    await this.placeOrdersUnderFaults(customers);
    // The injector starts again whatever it stops, so a process that is not running stopped on its own; nothing would bring it back.
    const exited = exitedByThemselves(this.platform);
    if (exited.length > 0) {
      this.violations.push(...exited);
      return this.finish(await observe(this.platform).catch(() => undefined));
    }

    if (!(await this.quiescent('beforeReplay', () => deadLetterQueue.orders()))) return this.finish(await observe(this.platform).catch(() => undefined));
    const beforeReplay = await observe(this.platform);
    const deadLetters = await deadLetterQueue.list();
    await this.checkBeforeReplay(beforeReplay, baseline, deadLetters);

    this.log(`${deadLetters.length} dead letter(s); replaying them`);
    const refused = await deadLetterQueue.replay(deadLetters);
    this.violations.push(...refused.map((detail) => ({ invariant: 'dead-letters-replayed', subject: 'dead-letter queue', detail })));
    if (!(await this.quiescent('afterReplay'))) return this.finish(beforeReplay);
    const afterReplay = await observe(this.platform);
    await this.checkAfterReplay(afterReplay, baseline, await deadLetterQueue.list());
    return this.finish(afterReplay);
  }

  /** Customers and an operator logged in, every SKU stocked as the mix needs it, and the stock as it then is. */
  private async prepare(): Promise<{ customers: Customer[]; deadLetterQueue: DeadLetterQueue; baseline: Map<string, StockRow> }> {
    const { platform, config } = this;
    const customers = await Promise.all(
      Array.from({ length: config.customers }, async (_, index): Promise<Customer> => {
        const id = `chaos-customer-${index + 1}`;
        return { id, token: await platform.login(id) };
      }),
    );
    const opsToken = await platform.login('chaos-operator', ['ops']);
    await Promise.all([...PLENTIFUL_SKUS.map((sku) => platform.setAvailable(sku, PLENTIFUL_STOCK)), platform.setAvailable(SCARCE_SKU, config.scarceStock)]);
    return { customers, deadLetterQueue: new DeadLetterQueue(platform, opsToken), baseline: await platform.stock() };
  }

  /** The load and the faults for the configured time; then the faults stop and the orders in flight get their answers. */
  private async placeOrdersUnderFaults(customers: readonly Customer[]): Promise<void> {
    const { platform, config, log } = this;
    const client = new RetryingClient(platform.stack.gatewayUrl, { giveUpAfterMs: config.clientGiveUpMs, random: Math.random });
    // Separate streams, so the order mix does not depend on how the faults' timing interleaves with it.
    const load = new LoadGenerator(client, customers, config, seededRandom(config.seed), log);
    const faults = new FaultInjector(platform, config, seededRandom(config.seed + 1), log);
    log(`chaos: seed ${config.seed}, ${config.durationMs / 1_000} s at ${config.ratePerSecond} orders/s, ${config.customers} customers`);
    const started = Date.now();
    const progress = setInterval(() => {
      log(
        `t=${Math.round((Date.now() - started) / 1_000)}s placed ${load.orders.length}, in flight ${load.ordersInFlight}, client retries ${client.retries}, faults ${JSON.stringify(faults.counts())}`,
      );
    }, PROGRESS_EVERY_MS);
    faults.start();
    try {
      await load.run(config.durationMs);
    } finally {
      await faults.stop();
    }
    this.summary.loadSeconds = Math.round((Date.now() - started) / 1_000);
    log(`load and faults stopped after ${this.summary.loadSeconds} s; waiting for the ${load.ordersInFlight} order(s) in flight`);
    await load.drain().finally(() => clearInterval(progress));
    this.orders = load.orders;
    this.summary.clientRetries = client.retries;
    this.summary.faults = countFaults(faults.injected, faultKindsOf(config.topology));
    this.summary.faultLog = faults.injected;
    this.violations.push(...faults.problems.map((problem) => ({ invariant: 'faults-recovered', subject: 'platform', detail: problem })));
  }

  private async quiescent(phase: 'beforeReplay' | 'afterReplay', deadLetteredOrders?: () => Promise<ReadonlySet<string>>): Promise<boolean> {
    const quiescence: Quiescence = await waitForQuiescence(this.platform, this.config.quiescenceTimeoutMs, this.log, deadLetteredOrders);
    this.summary.quiescenceSeconds[phase] = Math.round(quiescence.waitedMs / 1_000);
    if (!quiescence.quiet) {
      this.violations.push({ invariant: 'quiescence', subject: 'platform', detail: `${phase === 'afterReplay' ? 'after the replay: ' : ''}${quiescence.diagnosis}` });
      return false;
    }
    this.log(`quiescent after ${this.summary.quiescenceSeconds[phase]} s`);
    if (phase === 'beforeReplay') {
      Object.assign(this.summary, redeliveryCounts(quiescence.backlog.consumers));
      this.summary.deadLetters.heldUpOrders = quiescence.backlog.heldUpOrders.length;
    }
    return true;
  }

  /**
   * Violations an unreplayed dead letter explains wait for the replay; every dead letter must be about a known order.
   * On the cluster every fault is transient, and a transient fault holds messages rather than dead-lettering them
   * (ADR 16), so there any dead letter is a violation.
   */
  private async checkBeforeReplay(observed: Observations, baseline: ReadonlyMap<string, StockRow>, deadLetters: readonly DeadLetterEntry[]): Promise<void> {
    const results = await this.check(observed, baseline);
    const awaitingReplay = heldUpByDeadLetters(deadLetters);
    this.summary.deadLetters = { ...this.summary.deadLetters, beforeReplay: deadLetters.length, groups: groupDeadLetters(deadLetters) };
    this.summary.invariants.beforeReplay = invariantChecks(results, awaitingReplay);
    this.violations.push(...results.flatMap((result) => result.violations).filter((violation) => !awaitingReplay(violation)));
    this.violations.push(...unaccountedDeadLetters(deadLetters, observed));
    if (this.config.topology === 'cluster') this.violations.push(...deadLetters.map(deadLetterFromTransientFault));
  }

  /** No excuses any more: every invariant holds, and the dead-letter queue is empty. */
  private async checkAfterReplay(observed: Observations, baseline: ReadonlyMap<string, StockRow>, remaining: readonly DeadLetterEntry[]): Promise<void> {
    const results = await this.check(observed, baseline);
    this.summary.deadLetters.afterReplay = remaining.length;
    this.summary.invariants.afterReplay = invariantChecks(results);
    this.violations.push(...results.flatMap((result) => result.violations));
    this.violations.push(
      ...remaining.map((entry) => ({
        invariant: 'dead-letters-replayed',
        subject: `dead letter ${entry.id}`,
        orderId: entry.orderId,
        detail: `still in the queue after the replay: ${entry.consumer} ${entry.subject} (${entry.kind}) ${entry.error}`,
      })),
    );
  }

  /** The invariants over what was stored, plus two over what the streams and the providers received. */
  private async check(observed: Observations, baseline: ReadonlyMap<string, StockRow>): Promise<InvariantResult[]> {
    return [...checkInvariants({ observed, baseline, client: this.orders }), await this.causalOrder(), await this.compensationRate()];
  }

  private async causalOrder(): Promise<InvariantResult> {
    const { checked, uncaused, findings } = checkCausalOrder(await readStoredEvents(this.platform.stack.natsUrl));
    this.summary.causalOrder = { checked, uncaused };
    return {
      name: 'events-in-causal-order',
      description: "each event reached its stream after the events it was caused by (envelope's causationId)",
      checked,
      violations: findings.map((finding) => ({ invariant: 'events-in-causal-order', ...finding })),
    };
  }

  private async compensationRate(): Promise<InvariantResult> {
    const rates = await compensationRates(this.platform);
    this.summary.compensationRates = rates;
    return {
      name: 'compensation-rate-limited',
      description: "distinct compensations (voids, refunds, shipment cancels) reaching a provider in any second stay within twice the services' shared per-second limit",
      checked: rates.reduce((sum, rate) => sum + rate.operations, 0),
      violations: rates
        .filter((rate) => rate.busiestSecond > rate.allowed)
        .map((rate) => ({
          invariant: 'compensation-rate-limited',
          subject: rate.simulator,
          detail: `${rate.busiestSecond} compensations in the second from ${rate.busiestSecondAt}; at most ${rate.allowed} allowed`,
        })),
    };
  }

  /** Violations found both before and after the replay are one problem, reported once, with the evidence. */
  private async finish(observed?: Observations): Promise<ChaosSummary> {
    const unique = new Map(this.violations.map((violation) => [`${violation.invariant} ${violation.subject} ${violation.detail}`, violation]));
    this.summary.violations = [...unique.values()];
    this.summary.orders = countOrders(this.orders, observed);
    if (observed) this.summary.evidence = await gatherEvidence(this.platform, this.summary.violations, observed, this.orders);
    return this.summary;
  }
}

/**
 * Before the replay a dead letter legitimately leaves its order unfinished (e.g. a refund
 * that ran out of retries leaves the customer charged): its order's violations, and any
 * totals that include it, wait for the replay; the check after the replay has no excuses.
 */
function heldUpByDeadLetters(deadLetters: readonly DeadLetterEntry[]): (violation: Violation) => boolean {
  const orders = new Set(deadLetters.flatMap((entry) => (entry.orderId ? [entry.orderId] : [])));
  return (violation) => (violation.orderId === undefined ? deadLetters.length > 0 : orders.has(violation.orderId));
}

const EXIT_TAIL_LINES = 40;

function exitedByThemselves(platform: Platform): Violation[] {
  const { stack } = platform;
  return PROCESS_NAMES.flatMap((name) => replicaNamesOf(name, stack.topology))
    .filter((name) => stack.pid(name) === undefined)
    .map((name) => ({
      invariant: 'processes-running',
      subject: name,
      detail: `exited by itself under the faults; its last output:\n${stack.logs(name).slice(-EXIT_TAIL_LINES).join('\n')}`,
    }));
}

function deadLetterFromTransientFault(entry: DeadLetterEntry): Violation {
  return {
    invariant: 'no-dead-letters',
    subject: `dead letter ${entry.id}`,
    orderId: entry.orderId,
    detail: `every fault injected is transient, yet ${entry.service} ${entry.consumer} dead-lettered ${entry.subject} (${entry.kind}) after ${entry.attempts} attempt(s): ${entry.error}`,
  };
}

/** Every dead letter must be about an order that exists; anything else came from nowhere the run knows. */
function unaccountedDeadLetters(deadLetters: readonly DeadLetterEntry[], observed: Observations): Violation[] {
  const orders = new Set(observed.orders.map((order) => order.id));
  return deadLetters
    .filter((entry) => entry.orderId === undefined || !orders.has(entry.orderId))
    .map((entry) => ({
      invariant: 'dead-letters-accounted-for',
      subject: `dead letter ${entry.id}`,
      detail: `${entry.service} ${entry.consumer} ${entry.subject} (${entry.kind}) names no known order: ${entry.error}`,
    }));
}

function redeliveryCounts(consumers: readonly ConsumerSnapshot[]): Pick<ChaosSummary, 'redeliveries' | 'redeliveriesByConsumer'> {
  const byConsumer = Object.fromEntries(consumers.map((consumer) => [consumer.name, redeliveries([consumer])]).filter(([, count]) => count !== 0));
  return { redeliveries: redeliveries(consumers), redeliveriesByConsumer: byConsumer };
}

function countOrders(orders: readonly ClientOrder[], observed?: Observations): OrderCounts {
  const stored = new Set(observed?.idempotencyKeys.map((row) => keyOf(row.customerId, row.key)));
  const accepted = orders.filter((order) => acceptedOrderIds(order).length > 0);
  const unknown = orders.filter((order) => order.placeAnswers.every((answer) => answer.kind === 'unknown'));
  const cancelledByReason: Record<string, number> = {};
  for (const order of observed?.orders ?? []) {
    if (order.status === 'CANCELLED') cancelledByReason[order.cancellationReason ?? '?'] = (cancelledByReason[order.cancellationReason ?? '?'] ?? 0) + 1;
  }
  return {
    placed: orders.length,
    requests: orders.reduce((sum, order) => sum + order.placeAnswers.length, 0),
    duplicatesSent: orders.filter((order) => order.placeAnswers.length > 1).length,
    accepted: accepted.length,
    refused: orders.length - accepted.length - unknown.length,
    unknown: unknown.length,
    unknownButStored: unknown.filter((order) => stored.has(keyOf(order.customerId, order.key))).length,
    confirmed: observed?.orders.filter((order) => order.status === 'CONFIRMED').length ?? 0,
    cancelled: observed?.orders.filter((order) => order.status === 'CANCELLED').length ?? 0,
    cancelledByReason,
    byKind: Object.fromEntries(MIX_KINDS.map((kind) => [kind, orders.filter((order) => order.kind === kind).length])) as OrderCounts['byKind'],
    cancelsSent: orders.filter((order) => order.cancel !== undefined).length,
  };
}
