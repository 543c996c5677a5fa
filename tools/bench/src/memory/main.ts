/**
 * Idle memory of the platform's production bundles: `npm run bench:memory` (`-- --typescript`
 * measures the TypeScript runtime of `npm start` too, for comparison).
 *
 * The performance goal: the idle RSS of each app's production bundle is at most 120 MB.
 * Builds every deployable's bundle (`nx build`), starts the whole platform from them as the
 * images run them (plain node, NODE_ENV=production) on a private nats-server and throw-away
 * databases on the local Postgres, with JSON logs at info and no span export, and takes the
 * median of a few samples of every process's resident memory (VmRSS):
 *  - idle: 30 s after every process reported ready;
 *  - after orders: once a handful of orders placed through the gateway have ended and the
 *    platform has idled 30 s again, so what is initialised on first use counts too.
 * An app passes when both medians are within the goal; the provider simulators are listed, not judged.
 * Prints a table and writes bench/results/memory.json. DATABASE_URL selects the Postgres server.
 */
import { withPostgres } from '@orders/local-processes';
import { APPS, PROCESS_NAMES, ProcessName, RunningStack, StackRuntime, startStack } from '@orders/local-stack';
import { startPrivateNatsServer } from '@orders/testing';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SagaOutcomes } from '../e2e/saga-outcomes';
import { customerToken, placeOrder } from '../measure/gateway-customer';
import { describeMachine } from '../measure/machine';
import { highWaterMarkMb, residentSetMb } from '../measure/process-usage';
import { formatMemoryTable, judge, median, ProcessMemory } from './memory-report';

const GOAL_MB = 120;
const SETTINGS = { idleSeconds: 30, samples: 5, sampleIntervalMs: 1_000, orders: 10 };
const RUNTIMES: StackRuntime[] = process.argv.includes('--typescript') ? ['bundles', 'typescript'] : ['bundles'];
const SAGAS_TIMEOUT_MS = 60_000;
const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..', '..');
const RESULTS = resolve(REPOSITORY_ROOT, 'bench', 'results', 'memory.json');
/** Every deployable with a bundle: the apps and the provider simulators. */
const BUILT_PROJECTS = [...APPS, 'provider-simulators'];

interface RuntimeMemory {
  processes: ProcessMemory[];
  orders: { placed: number; confirmed: number };
  allAppsWithinGoal: boolean;
}

async function main(): Promise<void> {
  const started = Date.now();
  log(`Building the bundles: npx nx run-many -t build -p ${BUILT_PROJECTS.join(',')}`);
  await build();
  let postgres: string | undefined;
  const runtimes: Partial<Record<StackRuntime, RuntimeMemory>> = {};
  for (const runtime of RUNTIMES) {
    const measured = await measureRuntime(runtime);
    postgres = measured.postgres;
    runtimes[runtime] = measured.memory;
    console.log(`\n${runtime === 'bundles' ? 'Production bundles' : 'TypeScript runtime (npm start)'}:\n${formatMemoryTable(measured.memory.processes, GOAL_MB)}\n`);
  }
  const report = {
    machine: await describeMachine(postgres),
    command: ['npm run bench:memory', ...(RUNTIMES.length > 1 ? ['-- --typescript'] : [])].join(' '),
    goal: { idleRssMbAtMost: GOAL_MB, judged: 'each app, on the larger of its idle and after-orders medians; the provider simulators are not judged' },
    settings: SETTINGS,
    ...runtimes,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
  await mkdir(dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  log(`Every app within ${GOAL_MB} MB: ${runtimes.bundles?.allAppsWithinGoal ? 'yes' : 'no'}. Written to ${RESULTS} in ${report.durationSeconds} s`);
}

/** The bundles as `docker/Dockerfile` builds them; Nx rebuilds only what changed since the last build. */
async function build(): Promise<void> {
  const nx = spawn('npx', ['nx', 'run-many', '-t', 'build', '-p', ...BUILT_PROJECTS, '--outputStyle=static'], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, NX_DAEMON: 'false' },
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolveExit, reject) => nx.once('error', reject).once('close', resolveExit));
  if (code !== 0) throw new Error(`Building the bundles failed (exit code ${code})`);
}

async function measureRuntime(runtime: StackRuntime): Promise<{ memory: RuntimeMemory; postgres: string }> {
  const nats = await startPrivateNatsServer();
  let stack: RunningStack | undefined;
  const stopAll = async () => {
    await stack?.stop();
    await nats.dispose();
  };
  const interrupted = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    log(`Starting the platform from ${runtime === 'bundles' ? 'the production bundles' : 'the TypeScript entry points'}`);
    stack = await startStack({
      runtime,
      logs: 'tail',
      freePorts: true,
      databasePrefix: `bench_memory_${Date.now().toString(36)}`,
      dropDatabasesOnStop: true,
      // As deployed: JSON logs at info level, and no span exporter configured.
      logLevel: 'info',
      environment: { ...process.env, NATS_URL: nats.url, LOG_FORMAT: 'json', OTEL_TRACES_EXPORTER: 'none' },
      readyTimeoutMs: 240_000,
    });
    const running = stack;
    const idle = await idleRss(running);
    log(`Placing ${SETTINGS.orders} orders through the gateway`);
    const orders = await placeOrders(running, nats.url);
    const afterOrders = await idleRss(running);
    const processes = await Promise.all(
      PROCESS_NAMES.map(async (name): Promise<ProcessMemory> => {
        const peak = round(await highWaterMarkMb(pidOf(running, name)));
        return { name, idleRssMb: idle[name], afterOrdersRssMb: afterOrders[name], peakRssMb: peak, withinGoal: judge(idle[name], afterOrders[name], GOAL_MB, isApp(name)) };
      }),
    );
    const postgres = await withPostgres(running.adminDatabaseUrl, async (client) => (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version);
    return { memory: { processes, orders, allAppsWithinGoal: processes.every((process) => process.withinGoal !== false) }, postgres };
  } finally {
    await stopAll();
    process.off('SIGINT', interrupted);
  }
}

/** Waits `idleSeconds`, then samples every process's RSS `samples` times; the median per process. */
async function idleRss(stack: RunningStack): Promise<Record<ProcessName, number>> {
  log(`Idling ${SETTINGS.idleSeconds} s, then sampling RSS ${SETTINGS.samples} times`);
  await sleep(SETTINGS.idleSeconds * 1000);
  const samples = new Map<ProcessName, number[]>(PROCESS_NAMES.map((name) => [name, []]));
  for (let index = 0; index < SETTINGS.samples; index += 1) {
    if (index > 0) await sleep(SETTINGS.sampleIntervalMs);
    for (const name of PROCESS_NAMES) samples.get(name)?.push(await residentSetMb(pidOf(stack, name)));
  }
  return Object.fromEntries(PROCESS_NAMES.map((name) => [name, round(median(samples.get(name) ?? []))])) as Record<ProcessName, number>;
}

/** One customer places the orders one after another; resolves once every saga has ended. */
async function placeOrders(stack: RunningStack, natsUrl: string): Promise<{ placed: number; confirmed: number }> {
  const outcomes = await SagaOutcomes.watch(natsUrl);
  try {
    const token = await customerToken(stack.gatewayUrl, 'bench-memory-customer');
    const orderIds: string[] = [];
    for (let index = 0; index < SETTINGS.orders; index += 1) orderIds.push(await placeOrder(stack.gatewayUrl, token));
    await outcomes.ended(orderIds, SAGAS_TIMEOUT_MS);
    return { placed: orderIds.length, confirmed: orderIds.filter((orderId) => outcomes.confirmedAt.has(orderId)).length };
  } finally {
    await outcomes.close();
  }
}

function pidOf(stack: RunningStack, name: ProcessName): number {
  const pid = stack.pid(name);
  if (pid === undefined) throw new Error(`${name} is not running:\n${stack.logs(name).slice(-20).join('\n')}`);
  return pid;
}

function isApp(name: ProcessName): boolean {
  return (APPS as readonly ProcessName[]).includes(name);
}

function round(megabytes: number): number {
  return Math.round(megabytes * 10) / 10;
}

function log(message: string): void {
  console.log(`[bench:memory] ${message}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
