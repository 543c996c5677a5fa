/**
 * End-to-end benchmark: `npm run bench` (`npm run bench -- --quick` for a short smoke run).
 *
 * On this machine, in one run:
 *  1. the machine's limits: Postgres commits/s of a saga-step transaction at the best
 *     concurrency, and JetStream persisted publish + consume messages/s;
 *  2. the whole platform (all apps and the provider simulators, a private nats-server, throw-away
 *     databases on the local Postgres) placing orders through the gateway:
 *     - saturation: offered rates step up until completions fall behind, then the system is held
 *       above that rate and completed orders/s (placed until CONFIRMED) are counted;
 *     - overload: twice the saturation rate offered for a while; completions should stay near the
 *       peak, the surplus refused fast (503 AT_CAPACITY), and every accepted order end;
 *     - latency: a fixed arrival rate of half the saturation throughput, after a warm-up:
 *       p50/p95/p99 of the HTTP placement answer and of the saga (placement → order.confirmed);
 *  3. what an order costs (transactions, events, deliveries) and so the orders/s bound the
 *     limits imply; the headline is achieved / bound;
 *  4. CPU and peak memory of every process, and CPU milliseconds per order at saturation;
 *  5. the saga's anatomy: where its time goes, hop by hop (outbox, broker, queueing, handler), from
 *     the spans. Exporting them costs CPU, so the phases above run without; the platform is then
 *     restarted exporting to a collector in this process, and measured one order at a time on
 *     the idle platform and over a window at the latency phase's rate.
 * Prints a table and writes bench/results/e2e.json (`--out <file>`: elsewhere). DATABASE_URL selects the Postgres server.
 *
 * `--profile` also records V8 CPU profiles of the four services and the gateway during the
 * saturation run and prints where each spent its CPU time (by package). Profiling slows
 * them a little, so the throughput of a profiled run is not the one to quote.
 *
 * `--replicas <n>` and `--nats-cluster <n>` (or STACK_REPLICAS and STACK_NATS_CLUSTER) run the
 * platform on that topology (ADR 15): each app's CPU and memory are summed over its replicas and
 * NATS's over the cluster's nodes, the JetStream limit is measured on a cluster of as many nodes
 * with streams of as many replicas as the platform's, and the results are written to a file
 * named after the topology (e.g. bench/results/e2e-replicas2-nats3.json).
 */
import { withPostgres } from '@orders/local-processes';
import { ProcessName, RunningStack, startStack } from '@orders/local-stack';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AnatomySummary, summarizeSagas } from '../anatomy/saga-anatomy';
import { renderSummary } from '../anatomy/anatomy-report';
import { SpanCollector } from '../anatomy/span-collector';
import { summarizeCpuProfile, TimeShare } from '../measure/cpu-profile';
import { BENCH_ORDER, customerToken, placeOrder } from '../measure/gateway-customer';
import { describeMachine, Machine } from '../measure/machine';
import { ProcessUsage, ProcessUsageMonitor } from '../measure/process-usage';
import { formatTable } from '../measure/table';
import { OrderLoadResult, placeOrders } from './order-load';
import { JetStreamLimit } from './raw-jetstream';
import { measurePostgresLimit, PostgresLimit } from './raw-postgres';
import { SagaOutcomes } from './saga-outcomes';
import { LatencyRecorder } from '../measure/latency';
import { throughputBound } from './throughput-bound';
import { countWorkload, perOrder } from './workload-counts';
import { BENCH_USAGE, benchCommand, BenchOptions, parseBenchOptions } from './options';
import { processNamesByPid, watchedProcesses } from './watched-processes';
import { PlatformNats, platformNats } from './platform-nats';

const OPTIONS = optionsOrExit();
const { quick: QUICK, profile: PROFILE, topology: TOPOLOGY } = OPTIONS;
const PROFILED: ProcessName[] = ['gateway', 'order-service', 'inventory-service', 'payment-service', 'shipping-service'];
const PROFILES = resolve(__dirname, '..', '..', '..', '..', 'bench', 'results', 'profiles');
const PROFILER_PRELOAD = resolve(__dirname, '..', 'measure', 'cpu-profiler-preload.cjs');
const SETTINGS = QUICK
  ? {
      pgConcurrencies: [1, 4, 16],
      pgSeconds: 2,
      jsMessages: 20_000,
      stepSeconds: 6,
      saturationSeconds: 12,
      warmUpSeconds: 5,
      latencySeconds: 15,
      anatomyOrders: 10,
      anatomySeconds: 10,
      overloadSeconds: 15,
    }
  : {
      pgConcurrencies: [1, 2, 4, 8, 16, 32, 64],
      pgSeconds: 4,
      jsMessages: 100_000,
      stepSeconds: 12,
      saturationSeconds: 30,
      warmUpSeconds: 10,
      latencySeconds: 60,
      anatomyOrders: 30,
      anatomySeconds: 20,
      overloadSeconds: 60,
    };
const FIRST_STEP_RATE = 5;
const STEP_FACTOR = 1.5;
/** A step is sustained while completions keep up with this share of arrivals. */
const KEEPING_UP = 0.9;
const OVERLOAD_FACTOR = 1.25;
/** The overload phase offers this multiple of the saturation throughput. */
const OVERLOAD_MULTIPLE = 2;
const MAX_SATURATION_RUNS = 3;
const CONNECTIONS = 64;
const CUSTOMERS = 20;
const SKU = BENCH_ORDER.items[0].sku;
const DRAIN_TIMEOUT_MS = 5 * 60_000;
/** Postgres publishes a backend's statistics within about 10 s of it going idle. */
const STATISTICS_FLUSH_MS = 12_000;
/** How long the spans of sagas that ended may take to arrive: the apps export every SPAN_EXPORT_DELAY_MS. */
const SPANS_TIMEOUT_MS = 15_000;
const SPAN_EXPORT_DELAY_MS = 200;
const RESULTS = resolve(__dirname, '..', '..', '..', '..', OPTIONS.out);

async function main(): Promise<void> {
  const started = Date.now();
  if (PROFILE) {
    await rm(PROFILES, { recursive: true, force: true });
    await mkdir(PROFILES, { recursive: true });
  }
  const nats = await platformNats(TOPOLOGY);
  let stack: RunningStack | undefined;
  let collector: SpanCollector | undefined;
  const stopAll = async () => {
    await stack?.stop();
    await collector?.close();
    await nats.dispose();
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  try {
    log('Measuring the machine: Postgres saga-step commits/s');
    const postgres = await measurePostgresLimit({ concurrencies: SETTINGS.pgConcurrencies, secondsEach: SETTINGS.pgSeconds });
    log(`  best ${postgres.best.commitsPerSecond} commits/s at concurrency ${postgres.best.concurrency}`);
    log('Measuring the machine: JetStream persisted publish + consume msgs/s');
    const jetStream = await nats.measureJetStreamLimit({ messages: SETTINGS.jsMessages, window: 512 });
    log(`  ${jetStream.messagesPerSecond} msgs/s`);

    log('Starting the platform');
    stack = await startPlatform(nats);
    const harness = await prepareHarness(stack, nats);
    log(`Warm-up: ${SETTINGS.warmUpSeconds} s at ${FIRST_STEP_RATE} orders/s`);
    await harness.drain(await harness.load(SETTINGS.warmUpSeconds, FIRST_STEP_RATE));
    const search = await searchSaturation(harness);
    const saturation = await holdAboveSaturation(harness, search.estimate);
    const overload = await measureOverload(harness, saturation.completed);
    const latency = await measureLatency(harness, Math.max(1, Math.round(saturation.completed / 2)));
    await harness.monitor.stop();
    await harness.outcomes.close();
    const profiledPids = processNamesByPid(stack, PROFILED);

    log('Restarting the platform exporting its spans, for the saga anatomy');
    await stack.stop();
    collector = await SpanCollector.listen({ port: 0 });
    stack = await startPlatform(nats, collector.endpoint);
    const anatomy = await measureAnatomy(await prepareHarness(stack, nats), collector, latency.rate);

    const report = assembleReport({
      machine: await describeMachine(await serverVersion(stack)),
      limits: { postgres, jetStream },
      steps: search.steps,
      saturation,
      overload,
      latency,
      anatomy,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    });
    const profiles = PROFILE ? await summarizeProfiles(profiledPids) : undefined;
    await mkdir(join(RESULTS, '..'), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify({ ...report, profiles }, null, 2)}\n`);
    console.log(`\n${renderReport(report)}${profiles ? `\n\n${renderProfiles(profiles)}` : ''}\n\nWritten to ${RESULTS}`);
  } finally {
    await stopAll();
  }
}

/** What every phase drives and watches the platform with. */
interface Harness {
  stack: RunningStack;
  outcomes: SagaOutcomes;
  monitor: ProcessUsageMonitor;
  load(durationSeconds: number, ratePerSecond: number): Promise<OrderLoadResult>;
  /** Places one order and returns its id. */
  placeOne(): Promise<string>;
  /** Waits until every order the run placed has ended. */
  drain(run: OrderLoadResult): Promise<void>;
}

async function prepareHarness(stack: RunningStack, nats: PlatformNats): Promise<Harness> {
  const monitor = new ProcessUsageMonitor(() => watchedProcesses(stack, nats.privateServerPid));
  monitor.start();
  const outcomes = await SagaOutcomes.watch(stack.natsUrl);
  const tokens = await customerTokens(stack);
  await withPostgres(stack.databaseUrls.inventory, (client) => client.query('UPDATE products SET available = 100000000 WHERE sku = $1', [SKU]));
  return {
    stack,
    outcomes,
    monitor,
    load: (durationSeconds, ratePerSecond) => placeOrders({ gatewayUrl: stack.gatewayUrl, tokens, body: BENCH_ORDER, durationSeconds, ratePerSecond, connections: CONNECTIONS }),
    placeOne: () => placeOrder(stack.gatewayUrl, tokens[0]),
    drain: (run) => outcomes.ended(run.accepted.keys(), DRAIN_TIMEOUT_MS),
  };
}

/** Steps the arrival rate up until completions fall behind; what it completed at that step estimates its capacity. */
async function searchSaturation(harness: Harness): Promise<{ steps: Array<{ offered: number; completedPerSecond: number }>; estimate: number }> {
  log('Saturation: stepping the arrival rate up until completions fall behind');
  const steps: Array<{ offered: number; completedPerSecond: number }> = [];
  for (let rate = FIRST_STEP_RATE; ; rate = Math.round(rate * STEP_FACTOR)) {
    const run = await harness.load(SETTINGS.stepSeconds, rate);
    const completedPerSecond = completionRate(harness.outcomes, run, SETTINGS.stepSeconds / 3);
    steps.push({ offered: rate, completedPerSecond });
    log(`  offered ${rate}/s: completed ${completedPerSecond}/s`);
    await harness.drain(run);
    if (completedPerSecond < rate * KEEPING_UP) return { steps, estimate: completedPerSecond };
  }
}

/**
 * Offers more than the estimate, so completions are the platform's capacity; a rate it
 * still keeps up with is raised. Saturation is the most it completed in any of these runs
 * (overloading it further can lower completions: surplus placements take CPU from sagas).
 * CPU use is measured (and profiles recorded) over each run.
 */
async function holdAboveSaturation(harness: Harness, estimate: number) {
  const skipSeconds = SETTINGS.saturationSeconds / 3;
  const switchProfilers = () => PROFILE && PROFILED.forEach((name) => harness.stack.signalProcess(name, 'SIGWINCH'));
  const runs: Array<{ offered: number; completed: number; run: OrderLoadResult; cpuPerOrderMs: Record<string, number> }> = [];
  let offered = Math.round(estimate * OVERLOAD_FACTOR);
  for (let attempt = 1; ; attempt += 1) {
    log(`Saturation: ${SETTINGS.saturationSeconds} s offered at ${offered}/s`);
    const before = await harness.monitor.snapshot();
    switchProfilers();
    const run = await harness.load(SETTINGS.saturationSeconds, offered);
    switchProfilers();
    const usage = harness.monitor.usageBetween(before, await harness.monitor.snapshot());
    const completed = completionRate(harness.outcomes, run, skipSeconds);
    log(`  completed ${completed} orders/s`);
    await harness.drain(run);
    runs.push({ offered, completed, run, cpuPerOrderMs: cpuPerOrder(usage, harness.outcomes.confirmedBetween(run.startedAt, run.endedAt)) });
    if (completed < offered * KEEPING_UP || attempt === MAX_SATURATION_RUNS) {
      const best = runs.reduce((a, b) => (b.completed > a.completed ? b : a));
      return { ...best, runs: runs.map(({ offered, completed }) => ({ offered, completed })), measuredOverSeconds: SETTINGS.saturationSeconds - skipSeconds };
    }
    offered = Math.round(Math.max(offered, completed) * OVERLOAD_FACTOR);
  }
}

/**
 * Twice the saturation throughput offered: the surplus should be refused fast (admission control),
 * completions should stay near the peak, and every accepted order should end.
 */
async function measureOverload(harness: Harness, peak: number) {
  const offered = Math.round(peak * OVERLOAD_MULTIPLE);
  log(`Overload: ${SETTINGS.overloadSeconds} s offered at ${offered}/s (${OVERLOAD_MULTIPLE}x saturation)`);
  const run = await harness.load(SETTINGS.overloadSeconds, offered);
  const completed = completionRate(harness.outcomes, run, SETTINGS.overloadSeconds / 6);
  log(`  completed ${completed} orders/s (${Math.round((completed / peak) * 100)} % of the peak), refused ${JSON.stringify(run.rejected)}`);
  await harness.drain(run);
  const cancelled = [...run.accepted.keys()].filter((orderId) => harness.outcomes.cancelledAt.has(orderId)).length;
  return {
    offered,
    peak,
    completed,
    ofPeak: Math.round((completed / peak) * 1000) / 1000,
    accepted: run.accepted.size,
    refused: run.rejected,
    cancelled,
    placementMs: run.placement,
  };
}

/** Fixed-rate arrivals after a warm-up: latencies, CPU and memory, and what each order cost. */
async function measureLatency(harness: Harness, rate: number) {
  log(`Latency: ${SETTINGS.warmUpSeconds} s warm-up, then ${SETTINGS.latencySeconds} s at ${rate} orders/s`);
  await harness.drain(await harness.load(SETTINGS.warmUpSeconds, rate));
  await sleep(STATISTICS_FLUSH_MS);
  const countsBefore = await countWorkload(harness.stack);
  const before = await harness.monitor.snapshot();
  const run = await harness.load(SETTINGS.latencySeconds, rate);
  const processes = harness.monitor.usageBetween(before, await harness.monitor.snapshot());
  await harness.drain(run);
  await sleep(STATISTICS_FLUSH_MS);
  const cost = perOrder(countsBefore, await countWorkload(harness.stack), run.accepted.size);
  return { rate, run, processes, cost, saga: await sagaLatencies(harness.stack, harness.outcomes, run) };
}

interface SagaAnatomyRun extends AnatomySummary {
  orders: number;
  /** Orders whose spans did not all arrive, left out. */
  incomplete: number;
}

/**
 * Where the saga's time goes, from the spans the platform exports to `collector`: one order at a
 * time (each placed once the one before ended) on the idle platform, then over a window at `rate`.
 */
async function measureAnatomy(harness: Harness, collector: SpanCollector, rate: number) {
  log(`Anatomy: ${SETTINGS.warmUpSeconds} s warm-up at ${rate} orders/s, then ${SETTINGS.anatomyOrders} orders one at a time`);
  await harness.drain(await harness.load(SETTINGS.warmUpSeconds, rate));
  const idleOrders: string[] = [];
  for (let index = 0; index < SETTINGS.anatomyOrders; index += 1) {
    const orderId = await harness.placeOne();
    await harness.outcomes.ended([orderId], DRAIN_TIMEOUT_MS);
    idleOrders.push(orderId);
  }
  const idle = await anatomyOf(collector, idleOrders);
  log(`  saga p50 ${idle.sagaMs.p50} ms, p95 ${idle.sagaMs.p95} ms over ${idle.sagas} sagas`);
  log(`Anatomy: ${SETTINGS.warmUpSeconds} s warm-up, then ${SETTINGS.anatomySeconds} s at ${rate} orders/s`);
  await harness.drain(await harness.load(SETTINGS.warmUpSeconds, rate));
  const run = await harness.load(SETTINGS.anatomySeconds, rate);
  await harness.drain(run);
  const halfSaturation = { offeredPerSecond: rate, ...(await anatomyOf(collector, run.accepted.keys())) };
  log(`  saga p50 ${halfSaturation.sagaMs.p50} ms, p95 ${halfSaturation.sagaMs.p95} ms over ${halfSaturation.sagas} sagas`);
  await harness.monitor.stop();
  await harness.outcomes.close();
  return { idle, halfSaturation };
}

async function anatomyOf(collector: SpanCollector, orderIds: Iterable<string>): Promise<SagaAnatomyRun> {
  const ids = [...orderIds];
  const { sagas, missing } = await collector.waitForSagas(ids, SPANS_TIMEOUT_MS);
  return { orders: ids.length, incomplete: missing.length, ...summarizeSagas(sagas) };
}

interface Measured {
  machine: Machine;
  limits: { postgres: PostgresLimit; jetStream: JetStreamLimit };
  steps: Awaited<ReturnType<typeof searchSaturation>>['steps'];
  saturation: Awaited<ReturnType<typeof holdAboveSaturation>>;
  overload: Awaited<ReturnType<typeof measureOverload>>;
  latency: Awaited<ReturnType<typeof measureLatency>>;
  anatomy: Awaited<ReturnType<typeof measureAnatomy>>;
  durationSeconds: number;
}

function assembleReport({ machine, limits, steps, saturation, overload, latency, anatomy, durationSeconds }: Measured) {
  const bound = throughputBound({ postgresCommitsPerSecond: limits.postgres.best.commitsPerSecond, jetStreamMessagesPerSecond: limits.jetStream.messagesPerSecond }, latency.cost);
  return {
    machine,
    command: benchCommand(OPTIONS),
    topology: TOPOLOGY,
    settings: { ...SETTINGS, connections: CONNECTIONS, customers: CUSTOMERS, order: BENCH_ORDER },
    limits,
    saturation: {
      steps,
      heldRuns: saturation.runs,
      offeredPerSecond: saturation.offered,
      completedPerSecond: saturation.completed,
      measuredOverSeconds: saturation.measuredOverSeconds,
      placed: saturation.run.accepted.size,
      rejected: saturation.run.rejected,
      cpuPerOrderMs: saturation.cpuPerOrderMs,
    },
    overload,
    latency: {
      offeredPerSecond: latency.rate,
      orders: latency.run.accepted.size,
      rejected: latency.run.rejected,
      placementMs: latency.run.placement,
      sagaMs: latency.saga.confirmed,
      cancelled: latency.saga.cancelled,
      processes: latency.processes,
    },
    perOrder: latency.cost,
    anatomy,
    bound,
    achievedOverBound: Math.round((saturation.completed / bound.ordersPerSecond) * 1000) / 1000,
    durationSeconds,
  };
}

type Report = ReturnType<typeof assembleReport>;

/** Where each profiled process spent its time, from the `.cpuprofile` files named after their pids. */
async function summarizeProfiles(pids: Map<number, string>): Promise<Record<string, TimeShare[]>> {
  const summaries: Record<string, TimeShare[]> = {};
  for (const file of await readdir(PROFILES)) {
    const name = pids.get(Number(file.split('.')[0]));
    if (name) summaries[name] = await summarizeCpuProfile(join(PROFILES, file), 10);
  }
  return summaries;
}

function renderProfiles(profiles: Record<string, TimeShare[]>): string {
  return Object.entries(profiles)
    .map(([name, shares]) => `${name}: ${shares.map((share) => `${share.where} ${share.percent} %`).join(', ')}`)
    .join('\n');
}

/** Spans are exported only when given where to (`spansEndpoint`), and then nothing is profiled. */
async function startPlatform(nats: PlatformNats, spansEndpoint?: string): Promise<RunningStack> {
  const generousLimits = { RATE_LIMIT_POINTS: '100000000', RATE_LIMIT_ORDERS_POINTS: '100000000', RATE_LIMIT_LOGIN_POINTS: '100000000' };
  const profiling = PROFILE && !spansEndpoint ? { NODE_OPTIONS: `--require ${PROFILER_PRELOAD}`, BENCH_CPU_PROFILE_DIR: PROFILES } : {};
  const tracing = spansEndpoint
    ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: spansEndpoint, OTEL_BSP_SCHEDULE_DELAY: String(SPAN_EXPORT_DELAY_MS) }
    : { OTEL_TRACES_EXPORTER: 'none' };
  const { environment, natsClusterDir } = nats.stackOptions();
  return startStack({
    topology: TOPOLOGY,
    natsClusterDir,
    logs: 'tail',
    freePorts: true,
    databasePrefix: `bench_${Date.now().toString(36)}`,
    dropDatabasesOnStop: true,
    // As deployed: JSON logs at info level.
    logLevel: 'info',
    environment: { ...environment, LOG_FORMAT: 'json', ...tracing },
    env: Object.fromEntries(PROFILED.map((name) => [name, { ...profiling, ...(name === 'gateway' ? generousLimits : {}) }])),
    readyTimeoutMs: 240_000,
  });
}

async function customerTokens(stack: RunningStack): Promise<string[]> {
  return Promise.all(Array.from({ length: CUSTOMERS }, (_, index) => customerToken(stack.gatewayUrl, `bench-customer-${index}`)));
}

/** Orders confirmed per second during a run, ignoring its first `skipSeconds` while the pipeline fills. */
function completionRate(outcomes: SagaOutcomes, run: OrderLoadResult, skipSeconds: number): number {
  const from = run.startedAt + skipSeconds * 1000;
  return Math.round((outcomes.confirmedBetween(from, run.endedAt) / ((run.endedAt - from) / 1000)) * 10) / 10;
}

/** From the order's creation in order-service (its placement transaction) until its order.confirmed was seen. */
async function sagaLatencies(stack: RunningStack, outcomes: SagaOutcomes, run: OrderLoadResult) {
  const orderIds = [...run.accepted.keys()];
  const created = await withPostgres(stack.databaseUrls.order, async (client) => {
    const { rows } = await client.query<{ id: string; created_ms: string }>('SELECT id, extract(epoch FROM created_at) * 1000 AS created_ms FROM orders WHERE id = ANY($1)', [
      orderIds,
    ]);
    return new Map(rows.map((row) => [row.id, Number(row.created_ms)]));
  });
  const confirmed = new LatencyRecorder();
  let cancelled = 0;
  for (const orderId of orderIds) {
    const confirmedAt = outcomes.confirmedAt.get(orderId);
    const createdAt = created.get(orderId);
    if (confirmedAt === undefined || createdAt === undefined) cancelled += 1;
    else confirmed.record(confirmedAt - createdAt);
  }
  return { confirmed: confirmed.summary(), cancelled };
}

function cpuPerOrder(usage: ProcessUsage[], orders: number): Record<string, number> {
  return Object.fromEntries(usage.map((process) => [process.name, Math.round(((process.cpuSeconds * 1000) / orders) * 100) / 100]));
}

async function serverVersion(stack: RunningStack): Promise<string> {
  return withPostgres(stack.adminDatabaseUrl, async (client) => (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version);
}

function renderReport(report: Report): string {
  const { machine, limits, saturation, overload, latency, bound } = report;
  const cost = report.perOrder;
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; ${machine.natsServer}; PostgreSQL ${machine.postgres}`,
    `Topology: ${report.topology.replicas} process(es) per app, ${report.topology.natsCluster} NATS server(s)`,
    '',
    formatTable(
      ['measure', 'value'],
      [
        ['orders/s completed end to end (saturation)', saturation.completedPerSecond],
        ['Postgres saga-step commits/s (best concurrency)', `${limits.postgres.best.commitsPerSecond} (at ${limits.postgres.best.concurrency})`],
        [
          `JetStream persisted publish+consume msgs/s${limits.jetStream.streamReplicas > 1 ? ` (stream of ${limits.jetStream.streamReplicas} replicas)` : ''}`,
          limits.jetStream.messagesPerSecond,
        ],
        ['per order: write txns / all commits', `${cost.writeTransactions} / ${cost.commits}`],
        ['per order: events published / deliveries', `${cost.eventsPublished} / ${cost.deliveries}`],
        ['bound from Postgres / JetStream (orders/s)', `${bound.postgresOrdersPerSecond} / ${bound.jetStreamOrdersPerSecond}`],
        ['achieved / bound', `${report.achievedOverBound} (bound: ${bound.limitedBy})`],
        [
          `overload: ${overload.offered}/s offered, completed/s (share of peak)`,
          `${overload.completed} (${overload.ofPeak}); refused ${JSON.stringify(overload.refused)}; placement p99 ${overload.placementMs.p99} ms`,
        ],
      ],
    ),
    '',
    `At ${latency.offeredPerSecond} orders/s (50 % of saturation), ${latency.orders} orders:`,
    formatTable(
      ['latency (ms)', 'p50', 'p95', 'p99', 'max'],
      [
        ['placement (HTTP 202)', latency.placementMs.p50, latency.placementMs.p95, latency.placementMs.p99, latency.placementMs.max],
        ['saga (placed → CONFIRMED)', latency.sagaMs.p50, latency.sagaMs.p95, latency.sagaMs.p99, latency.sagaMs.max],
      ],
    ),
    '',
    formatTable(
      ['process', 'CPU % of a core (50 % load)', 'peak RSS MB', 'CPU ms per order (saturation)'],
      latency.processes.map((usage) => [usage.name, usage.cpuPercentOfOneCore, usage.peakRssMb, saturation.cpuPerOrderMs[usage.name] ?? '']),
    ),
    '',
    `Saga anatomy, spans exported (costs CPU), one order at a time on the idle platform (${report.anatomy.idle.orders} orders, ${report.anatomy.idle.incomplete} incomplete):`,
    renderSummary(report.anatomy.idle),
    '',
    `Saga anatomy, spans exported, at ${report.anatomy.halfSaturation.offeredPerSecond} orders/s (${report.anatomy.halfSaturation.orders} orders, ${report.anatomy.halfSaturation.incomplete} incomplete):`,
    renderSummary(report.anatomy.halfSaturation),
  ].join('\n');
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function optionsOrExit(): BenchOptions {
  try {
    return parseBenchOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}`);
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
