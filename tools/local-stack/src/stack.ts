import {
  BackingService,
  DEFAULT_STOP_GRACE_MS,
  ensureNats,
  errorMessage,
  freePorts,
  LogMode,
  NATS_LOG,
  NatsServer,
  ProcessLogs,
  redactUrl,
  STACK_LOG,
  startNatsCluster,
} from '@orders/local-processes';
import { generateCallerTokenKeys } from '@orders/caller-tokens';
import { join, resolve } from 'node:path';
import { CleanupStack } from './cleanup-stack';
import { POSTGRES_LOG } from './embedded-postgres';
import { pathExists } from './files';
import { migrationLogName, runMigrations } from './migrations';
import { ensurePostgres } from './postgres';
import { Replica, ReplicaRouting } from './replica-proxy';
import { generateSecret } from './secrets';
import {
  databaseServers,
  DEFAULT_DATABASE_PREFIX,
  dropServiceDatabases,
  mapServices,
  provisionServiceDatabases,
  serviceDatabaseName,
  SERVICES,
  ServiceName,
} from './service-databases';
import { inheritedEnvironment, JWT_AUDIENCE, JWT_ISSUER, JwtSettings, StackWiring } from './stack-environment';
import { StackProcesses, StackRuntime } from './stack-processes';
import {
  APPS,
  bundleOf,
  DEFAULT_PORTS,
  entryPointOf,
  mapProcesses,
  migrationEntryPointOf,
  PROCESS_NAMES,
  ProcessName,
  replicaNamesOf,
  SIMULATORS,
  StackProcessName,
  StackTopology,
  stackTopology,
  streamReplicasOf,
} from './stack-topology';

export interface StartStackOptions {
  /** Repository root; defaults to the one containing this launcher. */
  rootDir?: string;
  /** `inherit` (default) streams prefixed output to the terminal; `capture` keeps it for `logs()`. */
  logs?: LogMode;
  /** Prefix of the per-service roles and databases; defaults to "orders". */
  databasePrefix?: string;
  /** Drop the per-service databases and roles on stop (for throw-away test stacks). */
  dropDatabasesOnStop?: boolean;
  /** Servers of their own (superuser URLs) for some services' databases instead of DATABASE_URL's, e.g. one a test restarts. */
  databaseServerOf?: Partial<Record<ServiceName, string>>;
  /**
   * How many replicas of every app, and how many NATS servers; defaults to one of each. Several replicas
   * of an app listen on free ports behind a proxy on the app's address; a NATS cluster is started on
   * loopback (NATS_URL must then be unset), its nodes on free ports.
   */
  topology?: Partial<StackTopology>;
  /** Where the nodes of a NATS cluster the stack starts keep their stores; defaults to .local/nats-cluster-<nodes>, kept across runs. */
  natsClusterDir?: string;
  /** Ports of the apps' addresses (their proxies when replicated) and simulators instead of the defaults. */
  ports?: Partial<Record<ProcessName, number>>;
  /** Use free ports instead of the defaults for every process without an entry in `ports`. */
  freePorts?: boolean;
  /** Extra environment variables per process, applied last. */
  env?: Partial<Record<ProcessName, Record<string, string>>>;
  /**
   * `typescript` (default) runs every app and simulator from its TypeScript entry point; `bundles` from
   * its production bundle in dist/ (`npx nx run-many -t build`), as deployed, e.g. to measure what production runs.
   * Migrations run from their TypeScript entry points either way.
   */
  runtime?: StackRuntime;
  /** Processes that restart when their sources or the libs they use change, for development (`typescript` runtime only). */
  watch?: readonly ProcessName[];
  /** Passed to the apps as LOG_LEVEL; defaults to LOG_LEVEL from the environment, else "info". */
  logLevel?: string;
  /** How long every process may take to report ready; defaults to 90 s. */
  readyTimeoutMs?: number;
  /** How long a process may take to exit after SIGTERM before it is killed; defaults to 15 s. */
  stopGraceMs?: number;
  /**
   * Where DATABASE_URL, NATS_URL (with NATS_USER/NATS_PASSWORD), JWT_SECRET, LOG_LEVEL and <SERVICE>_DB_PASSWORD are
   * read from, and what the processes inherit; defaults to process.env.
   */
  environment?: NodeJS.ProcessEnv;
  /** Aborting it during startup stops what already started and rejects. */
  signal?: AbortSignal;
}

export interface RunningStack {
  gatewayUrl: string;
  /** Where each app and simulator is reached: its process, or the proxy in front of its replicas. */
  urls: Record<ProcessName, string>;
  topology: StackTopology;
  /** The processes of each app and simulator and the URL each listens on: one named like it, or `<app>-1`, `<app>-2`, ... */
  replicas: Record<ProcessName, Replica[]>;
  /** The NATS server, or every node of the cluster, comma-separated. */
  natsUrl: string;
  /** The nodes of the NATS cluster the stack started, to stop, kill and start again; none on one server. */
  natsNodes: readonly NatsServer[];
  adminDatabaseUrl: string;
  /** The server holding each service's database, as a superuser URL: `adminDatabaseUrl` unless `databaseServerOf` named another. */
  databaseServers: Record<ServiceName, string>;
  databaseUrls: Record<ServiceName, string>;
  jwt: JwtSettings;
  /**
   * Output of a process: of one replica, or of every replica of an app one after the other (or of
   * "stack", "nats-server", a NATS node, "<app>-proxy", "postgres", "<service>-migrations").
   */
  logs(name: string): string[];
  /** Where the proxy in front of a replicated app has sent requests, per replica. */
  routing(app: ProcessName): ReplicaRouting[];
  /**
   * Stops a process, or every replica of an app, with SIGTERM unless told otherwise; SIGKILL after the
   * grace period. A replica leaves its proxy's rotation first, as a pod being deleted leaves its Service.
   */
  stopProcess(name: StackProcessName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped process (or replicas) again and waits until it is ready and, behind a proxy, routed to. */
  startProcess(name: StackProcessName): Promise<void>;
  /**
   * Sends a signal to a running process (or every replica of an app) and returns at once: SIGSTOP freezes it
   * (connections stay open, requests queue up unread, as in a long GC pause), SIGCONT thaws it.
   */
  signalProcess(name: StackProcessName, signal: NodeJS.Signals): void;
  /** The operating system's id of one running process (undefined while it is stopped); a replicated app is asked for by replica. */
  pid(name: StackProcessName): number | undefined;
  /** Stops apps, then simulators, then whatever the stack started itself. Safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_READY_TIMEOUT_MS = 90_000;
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Starts the whole platform locally: Postgres and NATS (found or started), one
 * database per service, migrations, the provider simulators and all apps. Resolves
 * once every process reports ready; on any failure stops what it started and rejects.
 */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const { rootDir = REPOSITORY_ROOT, databasePrefix = DEFAULT_DATABASE_PREFIX, environment = process.env, runtime = 'typescript', signal } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const topology = stackTopology(options.topology);
  const replicaNames = mapProcesses((name) => replicaNamesOf(name, topology));
  const logs = new ProcessLogs(options.logs ?? 'inherit', longestLogName(Object.values(replicaNames).flat()));
  const cleanup = new CleanupStack((description) => logs.write(STACK_LOG, `Shutting down: ${description}`));
  const localDir = join(rootDir, '.local');

  try {
    if (runtime === 'bundles' && options.watch?.length) throw new Error('Watching restarts a process when its TypeScript sources change; a stack run from bundles cannot watch.');
    await assertEntryPointsExist(rootDir, runtime);

    const postgres = await ensurePostgres({ configuredUrl: environment.DATABASE_URL, localDir, logs });
    if (postgres.startedByStack) cleanup.push('stop the embedded Postgres', postgres.stop);
    logs.write(STACK_LOG, `Using Postgres at ${redactUrl(postgres.url)}`);
    signal?.throwIfAborted();

    const nats = await natsOf(topology, environment, options.natsClusterDir ?? join(localDir, `nats-cluster-${topology.natsCluster}`), localDir, logs);
    if (nats.startedByStack) cleanup.push(nats.nodes.length > 0 ? 'stop the NATS cluster' : 'stop nats-server', nats.stop);
    logs.write(STACK_LOG, `Using NATS at ${nats.url}`);
    signal?.throwIfAborted();

    const databaseServerOf = options.databaseServerOf;
    if (options.dropDatabasesOnStop) cleanup.push('drop the service databases', () => dropServiceDatabases(postgres.url, databasePrefix, databaseServerOf));
    logs.write(STACK_LOG, `Provisioning the service databases (${SERVICES.map((service) => serviceDatabaseName(databasePrefix, service)).join(', ')})`);
    const databaseUrls = await provisionServiceDatabases({
      adminUrl: postgres.url,
      serverOf: databaseServerOf,
      prefix: databasePrefix,
      passwords: mapServices((service) => environment[`${service.toUpperCase()}_DB_PASSWORD`]),
    });

    const inherited = inheritedEnvironment(environment);
    const logLevel = options.logLevel ?? environment.LOG_LEVEL ?? 'info';
    logs.write(STACK_LOG, 'Running migrations');
    await runMigrations({ rootDir, databaseUrls, logs, env: { ...inherited, NODE_ENV: 'development', LOG_LEVEL: logLevel } });
    signal?.throwIfAborted();

    const ports = await choosePorts(options);
    const urls = mapProcesses((name) => `http://127.0.0.1:${ports[name]}`);
    const replicas = await replicasOf(replicaNames, urls);
    const wiring: StackWiring = {
      urls,
      natsUrl: nats.url,
      natsStreamReplicas: streamReplicasOf(topology),
      databaseUrls,
      jwt: { secret: environment.JWT_SECRET ?? generateSecret(32), issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      callerTokenKeys: callerTokenKeysOf(environment),
      logLevel,
      logFormat: environment.LOG_FORMAT ?? (logs.mode === 'inherit' ? 'pretty' : 'json'),
    };
    const processes = new StackProcesses({ rootDir, wiring, replicas, inherited, extraEnv: options.env, runtime, watch: options.watch, readyTimeoutMs, stopGraceMs, logs });
    cleanup.push('stop the proxies', () => processes.close());
    await processes.listen();

    cleanup.push('stop the provider simulators', () => processes.stop(SIMULATORS));
    logs.write(STACK_LOG, 'Starting the provider simulators');
    await processes.start(SIMULATORS, signal);

    cleanup.push('stop the apps', () => processes.stop(APPS));
    logs.write(STACK_LOG, 'Starting the apps');
    await processes.start(APPS, signal);
    signal?.throwIfAborted();
    logs.write(STACK_LOG, 'All processes are ready');

    let stopped: Promise<void> | undefined;
    return {
      gatewayUrl: wiring.urls.gateway,
      urls: wiring.urls,
      topology,
      replicas,
      natsUrl: nats.url,
      natsNodes: nats.nodes,
      adminDatabaseUrl: postgres.url,
      databaseServers: databaseServers(postgres.url, databaseServerOf),
      databaseUrls,
      jwt: wiring.jwt,
      logs: (name) => (replicaNames[name as ProcessName] ?? [name]).flatMap((process) => logs.of(process)),
      routing: (app) => processes.routing(app),
      stopProcess: (name, stopSignal) => processes.stop([name], stopSignal),
      startProcess: (name) => processes.start([name]),
      signalProcess: (name, processSignal) => processes.signal(name, processSignal),
      pid: (name) => processes.pid(name),
      stop: () => (stopped ??= cleanup.run()),
    };
  } catch (error) {
    await cleanup.run().catch((cleanupError: unknown) => logs.write(STACK_LOG, `Cleanup after the failed start was incomplete: ${errorMessage(cleanupError)}`, 'stderr'));
    throw error;
  }
}

async function choosePorts(options: StartStackOptions): Promise<Record<ProcessName, number>> {
  const chosen = { ...DEFAULT_PORTS, ...options.ports };
  if (options.freePorts) {
    const unset = PROCESS_NAMES.filter((name) => options.ports?.[name] === undefined);
    const ports = await freePorts(unset.length);
    unset.forEach((name, index) => (chosen[name] = ports[index]));
  }
  return chosen;
}

/** Fails before anything starts if an app, simulator (or its bundle) or migration script is missing. */
async function assertEntryPointsExist(rootDir: string, runtime: StackRuntime): Promise<void> {
  const entryPoints = [...SERVICES.map(migrationEntryPointOf), ...PROCESS_NAMES.map(runtime === 'bundles' ? bundleOf : entryPointOf)];
  const missing: string[] = [];
  for (const entryPoint of entryPoints) {
    if (!(await pathExists(join(rootDir, entryPoint)))) missing.push(entryPoint);
  }
  if (missing.length > 0) {
    const hint = missing.some((entryPoint) => entryPoint.startsWith('dist/')) ? '\nBuild the bundles first: npx nx run-many -t build' : '';
    throw new Error(`The stack cannot start; these entry points do not exist (yet):\n${missing.map((entryPoint) => `  ${entryPoint}`).join('\n')}${hint}`);
  }
}

/** The NATS server the stack uses: a cluster it starts, or the configured or default server (started if need be). */
async function natsOf(
  topology: StackTopology,
  environment: NodeJS.ProcessEnv,
  clusterDir: string,
  localDir: string,
  logs: ProcessLogs,
): Promise<BackingService & { nodes: readonly NatsServer[] }> {
  if (topology.natsCluster > 1) {
    if (environment.NATS_URL)
      throw new Error(`A NATS cluster of ${topology.natsCluster} nodes was asked for, but NATS_URL names servers to use (${environment.NATS_URL}); unset one or the other.`);
    logs.write(STACK_LOG, `Starting a NATS cluster of ${topology.natsCluster} nodes (stores: ${clusterDir})`);
    const cluster = await startNatsCluster({ size: topology.natsCluster, dir: clusterDir, logs });
    return { url: cluster.url, startedByStack: true, stop: cluster.stop, nodes: cluster.nodes };
  }
  const { NATS_USER: user, NATS_PASSWORD: pass } = environment;
  const credentials = user && pass ? { user, pass } : undefined;
  return { ...(await ensureNats({ configuredUrl: environment.NATS_URL, credentials, storeDir: join(localDir, 'nats'), logs })), nodes: [] };
}

/** A lone process listens on its app's address; replicas each on a free port, behind a proxy there. */
async function replicasOf(names: Record<ProcessName, StackProcessName[]>, urls: Record<ProcessName, string>): Promise<Record<ProcessName, Replica[]>> {
  const replicated = PROCESS_NAMES.filter((name) => names[name].length > 1);
  const free = await freePorts(replicated.reduce((count, name) => count + names[name].length, 0));
  return mapProcesses((name) =>
    replicated.includes(name) ? names[name].map((replica) => ({ name: replica, url: `http://127.0.0.1:${free.shift()}` })) : [{ name, url: urls[name] }],
  );
}

function longestLogName(processes: readonly string[]): number {
  const names = [STACK_LOG, NATS_LOG, POSTGRES_LOG, ...processes, ...APPS.map((app) => `${app}-proxy`), ...SERVICES.map(migrationLogName)];
  return Math.max(...names.map((name) => name.length));
}

/** The key pair in the launcher's environment when it names both halves, else a fresh one for this run. */
function callerTokenKeysOf(environment: NodeJS.ProcessEnv): StackWiring['callerTokenKeys'] {
  const { CALLER_TOKEN_PRIVATE_KEY, CALLER_TOKEN_PUBLIC_KEY } = environment;
  return CALLER_TOKEN_PRIVATE_KEY && CALLER_TOKEN_PUBLIC_KEY ? { CALLER_TOKEN_PRIVATE_KEY, CALLER_TOKEN_PUBLIC_KEY } : generateCallerTokenKeys().env;
}
