import { errorMessage, withPostgres } from '@orders/local-processes';
import { AppName, ServiceName, SERVICES, SimulatorName, StackProcessName } from '@orders/local-stack';
import { FaultConfig, simulatorControl } from '@orders/provider-simulators';
import { setTimeout as sleep } from 'node:timers/promises';
import { Platform } from '../support/platform';
import { ChaosConfig, ChaosTopology } from './config';
import { chooseNatsNode, NATS_NODE_FAULTS, NatsNodeFault, NatsNodeFaults } from './nats-node-faults';
import { integerBetween, jittered, pick, pickWeighted, Random } from './random';

/** The faults of both topologies; on the cluster a NATS restart is one node's, SIGKILLs hit one replica at a time. */
const SINGLE_FAULT_KINDS = ['app-kill', 'nats-restart', 'database-drop', 'provider-429', 'provider-5xx', 'provider-latency'] as const;
/** Only on the cluster: the other node faults, and the faults that run once per run. */
const CLUSTER_FAULT_KINDS = ['nats-node-kill', 'nats-lame-duck', 'nats-quorum-loss', 'replica-freeze', 'rolling-restart', 'postgres-restart'] as const;
export const FAULT_KINDS = [...SINGLE_FAULT_KINDS, ...CLUSTER_FAULT_KINDS] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The kinds a run on `topology` injects. */
export function faultKindsOf(topology: ChaosTopology): readonly FaultKind[] {
  return topology === 'cluster' ? FAULT_KINDS : SINGLE_FAULT_KINDS;
}

export interface InjectedFault {
  kind: FaultKind;
  target: string;
  /** Milliseconds since the injector started. */
  atMs: number;
  detail?: string;
}

/** How many faults of each kind, every kind of `kinds` named. */
export function countFaults(faults: readonly InjectedFault[], kinds: readonly FaultKind[] = FAULT_KINDS): Partial<Record<FaultKind, number>> {
  const counts: Partial<Record<FaultKind, number>> = Object.fromEntries(kinds.map((kind) => [kind, 0]));
  for (const fault of faults) counts[fault.kind] = (counts[fault.kind] ?? 0) + 1;
  return counts;
}

export type FaultSettings = Pick<
  ChaosConfig,
  | 'topology'
  | 'durationMs'
  | 'killIntervalMs'
  | 'natsIntervalMs'
  | 'natsDowntimeMs'
  | 'databaseIntervalMs'
  | 'providerIntervalMs'
  | 'providerBurstMs'
  | 'quorumLossMs'
  | 'freezeMs'
  | 'rollingRestartServices'
  | 'postgresDowntimeMs'
>;

/**
 * When each once-per-run fault of the cluster starts, as a share of the load's duration: one after
 * the other, so that what each one does can be told apart, and all over before the load stops.
 */
export const ONCE_PER_RUN_AT: Readonly<Record<'replica-freeze' | 'nats-quorum-loss' | 'rolling-restart' | 'postgres-restart', number>> = {
  'replica-freeze': 0.1,
  'nats-quorum-loss': 0.35,
  'rolling-restart': 0.6,
  'postgres-restart': 0.8,
};

/** The four services hold the saga's state, so they are killed three times as often as the edge apps. */
export const KILL_WEIGHTS: Readonly<Record<AppName, number>> = {
  'order-service': 3,
  'inventory-service': 3,
  'payment-service': 3,
  'shipping-service': 3,
  gateway: 1,
  'web-bff': 1,
  'mobile-bff': 1,
};

const PROVIDER_FAULTS = ['provider-429', 'provider-5xx', 'provider-latency'] as const;
type ProviderFault = (typeof PROVIDER_FAULTS)[number];
const PROVIDERS: readonly SimulatorName[] = ['payment-provider-sim', 'carrier-sim'];

/**
 * The n-th provider burst: kinds and providers take turns (3 kinds, 2 providers), so
 * every pairing comes up within six bursts and every kind within three.
 */
export function providerBurst(index: number): { kind: ProviderFault; target: SimulatorName } {
  return { kind: PROVIDER_FAULTS[index % PROVIDER_FAULTS.length], target: PROVIDERS[index % PROVIDERS.length] };
}

/** What a provider answers during a burst; a refused request has no effect (libs/provider-simulators/src/faults.ts). */
export function providerFaults(kind: ProviderFault, random: Random): FaultConfig {
  switch (kind) {
    case 'provider-429':
      return { rules: [{ errorRates: { '429': 0.6 }, retryAfterSeconds: 1 }] };
    case 'provider-5xx':
      return { rules: [{ errorRates: { '500': 0.2, '502': 0.2, '503': 0.2 } }] };
    case 'provider-latency':
      // Around the callers' 5 s timeout: some calls are slow, some time out and are retried.
      return { rules: [{ latencyMs: integerBetween(random, 1_500, 6_000) }] };
  }
}

const RESTART_ATTEMPTS = 3;
const LEASE_POLL_MS = 500;
/** How long a NATS node in lame-duck mode may take to leave before it is stopped: it evicts its clients over minutes. */
const LAME_DUCK_GRACE_MS = 20_000;
/** How long a replica to be frozen may take to have unpublished outbox rows, so that its relay is frozen mid-batch. */
const FREEZE_MID_BATCH_WAIT_MS = 10_000;

/**
 * Breaks the platform on a schedule while orders are placed: SIGKILLs apps (and starts
 * them again), restarts NATS, cuts a service's Postgres connections, and makes a provider
 * throttle, fail or crawl for a few seconds. Each kind runs on its own loop, so faults
 * overlap as they would in real life.
 *
 * On the cluster topology a SIGKILL hits one replica, never every replica of an app at
 * once (an app is leased by one fault at a time); the NATS loop restarts, kills or puts
 * into lame-duck mode one node at a time, often the leader of a stream or of the cluster's
 * metadata; and once per run two of the three nodes go down (quorum loss), a service
 * replica is frozen, every service restarts one replica at a time, and the Postgres
 * holding one service's database restarts.
 */
export class FaultInjector {
  readonly injected: InjectedFault[] = [];
  /** What did not recover as it should (e.g. an app that does not come back); each is a violation. */
  readonly problems: string[] = [];
  private readonly stopping = new AbortController();
  private loops: Array<Promise<void>> = [];
  private startedAt = 0;
  private bursts = 0;
  private natsFaults = 0;
  /** Apps a fault is disrupting: another fault leaves them alone, so one replica of each keeps serving. */
  private readonly leasedApps = new Set<AppName>();
  /** Set while one NATS fault runs: node faults never overlap, so a majority stays up except during the quorum loss. */
  private natsBusy = false;
  /** The service whose Postgres is restarting: it has no connections to drop. */
  private restartingDatabaseOf?: ServiceName;
  private readonly nodes: NatsNodeFaults;

  constructor(
    private readonly platform: Platform,
    private readonly settings: FaultSettings,
    private readonly random: Random,
    private readonly log: (line: string) => void,
  ) {
    this.nodes = new NatsNodeFaults(platform.stack, LAME_DUCK_GRACE_MS);
  }

  start(): void {
    this.startedAt = Date.now();
    const { durationMs, quorumLossMs, freezeMs, rollingRestartServices, postgresDowntimeMs } = this.settings;
    const cluster = this.settings.topology === 'cluster';
    this.loops = [
      this.every(this.settings.killIntervalMs, () => this.killApp()),
      this.every(this.settings.natsIntervalMs, () => (cluster ? this.natsNodeFault() : this.restartNats())),
      this.every(this.settings.databaseIntervalMs, () => this.dropDatabaseConnections()),
      this.every(this.settings.providerIntervalMs, () => this.providerBurst()),
    ];
    if (!cluster) return;
    const at = (kind: keyof typeof ONCE_PER_RUN_AT) => Math.round(durationMs * ONCE_PER_RUN_AT[kind]);
    const once = (kind: keyof typeof ONCE_PER_RUN_AT, inject: () => Promise<void>) => this.loops.push(this.once(at(kind), inject).then(() => undefined));
    if (freezeMs > 0) once('replica-freeze', () => this.freezeReplica());
    if (quorumLossMs > 0) once('nats-quorum-loss', () => this.loseQuorum());
    if (rollingRestartServices > 0) once('rolling-restart', () => this.rollingRestarts());
    if (postgresDowntimeMs > 0) once('postgres-restart', () => this.restartPostgres());
  }

  /** Lets a fault being injected finish (a killed app is started again), then leaves every provider without faults. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
    await Promise.all(PROVIDERS.map((provider) => this.clearProviderFaults(provider)));
  }

  counts(): Partial<Record<FaultKind, number>> {
    return countFaults(this.injected, faultKindsOf(this.settings.topology));
  }

  private async every(meanIntervalMs: number, inject: () => Promise<void>): Promise<void> {
    if (meanIntervalMs <= 0) return;
    while (await this.once(jittered(this.random, meanIntervalMs), inject));
  }

  /** Injects after `delayMs`, unless the injector stops first; says whether it did. */
  private async once(delayMs: number, inject: () => Promise<void>): Promise<boolean> {
    try {
      await sleep(delayMs, undefined, { signal: this.stopping.signal });
    } catch {
      return false;
    }
    await inject().catch((error: unknown) => this.problem(`Injecting a fault failed: ${errorMessage(error)}`));
    return true;
  }

  private record(kind: FaultKind, target: string, detail?: string): void {
    const fault = { kind, target, atMs: Date.now() - this.startedAt, detail };
    this.injected.push(fault);
    this.log(`fault: ${kind} ${target}${detail ? ` (${detail})` : ''}`);
  }

  private problem(message: string): void {
    this.problems.push(message);
    this.log(`PROBLEM: ${message}`);
  }

  /** One replica of an app (the app itself on one replica), unless another fault is disrupting that app. */
  private async killApp(): Promise<void> {
    const app = pickWeighted(this.random, KILL_WEIGHTS);
    if (!this.tryLease(app)) return this.log(`skipping a SIGKILL of ${app}: another fault is disrupting it`);
    try {
      const replica = pick(this.random, this.replicasOf(app));
      await this.platform.stack.stopProcess(replica, 'SIGKILL');
      this.record('app-kill', replica);
      await this.bringBack(replica);
    } finally {
      this.leasedApps.delete(app);
    }
  }

  private replicasOf(app: AppName): StackProcessName[] {
    return this.platform.stack.replicas[app].map((replica) => replica.name as StackProcessName);
  }

  private tryLease(app: AppName): boolean {
    if (this.leasedApps.has(app)) return false;
    this.leasedApps.add(app);
    return true;
  }

  /** Waits until no other fault disrupts `app`, then takes it. */
  private async lease(app: AppName): Promise<void> {
    while (!this.tryLease(app)) await sleep(LEASE_POLL_MS);
  }

  /** Starts the app again; a start that fails is retried, an app that never comes back is a problem. */
  private async bringBack(app: StackProcessName): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.platform.stack.startProcess(app);
        return;
      } catch (error) {
        if (attempt === RESTART_ATTEMPTS) return this.problem(`${app} did not come back after being killed: ${errorMessage(error)}`);
        this.log(`${app} failed to start (attempt ${attempt}), trying again: ${errorMessage(error)}`);
        await this.platform.stack.stopProcess(app, 'SIGKILL');
      }
    }
  }

  private async restartNats(): Promise<void> {
    await this.platform.nats.stop();
    this.record('nats-restart', 'nats-server', `down ${this.settings.natsDowntimeMs} ms`);
    await sleep(this.settings.natsDowntimeMs);
    await this.platform.nats.start();
  }

  /**
   * Restarts, kills or puts into lame-duck mode one node, the kinds taking turns; the node is the
   * leader of a stream or of the cluster's metadata every other time. Skipped while another NATS
   * fault runs.
   */
  private async natsNodeFault(): Promise<void> {
    if (this.natsBusy) return this.log('skipping a NATS node fault: another NATS fault is running');
    this.natsBusy = true;
    try {
      const index = this.natsFaults++;
      const kind: NatsNodeFault = NATS_NODE_FAULTS[index % NATS_NODE_FAULTS.length];
      const { node, role } = await chooseNatsNode(this.platform.stack, index, this.random);
      const how = await this.nodes.takeDown(node, kind);
      this.record(kind, node.name, `${role}; ${how}; down ${this.settings.natsDowntimeMs} ms`);
      await sleep(this.settings.natsDowntimeMs);
      await this.bringNodeBack(node.name);
    } finally {
      this.natsBusy = false;
    }
  }

  private async bringNodeBack(name: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.nodes.start(name);
        return;
      } catch (error) {
        if (attempt === RESTART_ATTEMPTS) return this.problem(`NATS node ${name} did not come back: ${errorMessage(error)}`);
        this.log(`NATS node ${name} failed to start (attempt ${attempt}), trying again: ${errorMessage(error)}`);
      }
    }
  }

  /** Two of the three nodes down at once: JetStream has no quorum, so nothing is stored or delivered until they return. */
  private async loseQuorum(): Promise<void> {
    while (this.natsBusy) await sleep(LEASE_POLL_MS);
    this.natsBusy = true;
    try {
      const kept = pick(this.random, this.platform.stack.natsNodes);
      const [killed, stopped] = this.platform.stack.natsNodes.filter((node) => node !== kept);
      await Promise.all([killed.kill(), stopped.stop()]);
      this.record('nats-quorum-loss', `${killed.name}, ${stopped.name}`, `${killed.name} SIGKILLed, ${stopped.name} stopped; down ${this.settings.quorumLossMs} ms`);
      await sleep(this.settings.quorumLossMs);
      await Promise.all([this.bringNodeBack(killed.name), this.bringNodeBack(stopped.name)]);
    } finally {
      this.natsBusy = false;
    }
  }

  /**
   * SIGSTOP of one service replica while its outbox relay has rows to publish (mid-batch), for
   * `freezeMs`, then SIGCONT: it holds deliveries and perhaps the relay's lease, as a long GC pause would.
   */
  private async freezeReplica(): Promise<void> {
    const service: ServiceName = pick(this.random, SERVICES);
    const app: AppName = `${service}-service`;
    await this.lease(app);
    try {
      const replica = pick(this.random, this.replicasOf(app));
      const unpublished = await this.waitForUnpublishedOutbox(service);
      this.platform.stack.signalProcess(replica, 'SIGSTOP');
      this.record('replica-freeze', replica, `${unpublished} unpublished outbox row(s) at the SIGSTOP; frozen ${this.settings.freezeMs} ms`);
      await sleep(this.settings.freezeMs);
      this.platform.stack.signalProcess(replica, 'SIGCONT');
    } finally {
      this.leasedApps.delete(app);
    }
  }

  private async waitForUnpublishedOutbox(service: ServiceName): Promise<number> {
    const deadline = Date.now() + FREEZE_MID_BATCH_WAIT_MS;
    for (;;) {
      const rows = await withPostgres(
        this.platform.stack.databaseUrls[service],
        async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0].n,
      );
      if (rows > 0 || Date.now() >= deadline) return rows;
      await sleep(100);
    }
  }

  /** Every replica of the first `rollingRestartServices` services in turn: SIGTERM, started again, ready before the next. */
  private async rollingRestarts(): Promise<void> {
    for (const service of SERVICES.slice(0, this.settings.rollingRestartServices)) {
      const app: AppName = `${service}-service`;
      const started = Date.now();
      for (const replica of this.replicasOf(app)) {
        await this.lease(app);
        try {
          await this.platform.stack.stopProcess(replica, 'SIGTERM');
          await this.bringBack(replica);
        } finally {
          this.leasedApps.delete(app);
        }
      }
      this.record('rolling-restart', app, `${this.replicasOf(app).length} replicas, one at a time, in ${Date.now() - started} ms`);
    }
  }

  /** The Postgres of one service's database (the run's own) stops, stays down, and starts again. */
  private async restartPostgres(): Promise<void> {
    const { server, service } = this.platform.postgres;
    this.restartingDatabaseOf = service;
    try {
      this.record('postgres-restart', `${service}-service`, `its Postgres down ${this.settings.postgresDowntimeMs} ms`);
      await server.restart(this.settings.postgresDowntimeMs);
    } finally {
      this.restartingDatabaseOf = undefined;
    }
  }

  /** What a database failover or a network blip looks like to a service: every connection it holds dies at once. */
  private async dropDatabaseConnections(): Promise<void> {
    const service: ServiceName = pick(this.random, SERVICES);
    if (service === this.restartingDatabaseOf) return this.log(`skipping a connection drop: ${service}-service's Postgres is restarting`);
    const database = decodeURIComponent(new URL(this.platform.stack.databaseUrls[service]).pathname.slice(1));
    const terminated = await withPostgres(this.platform.stack.databaseServers[service], async (client) => {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) AS terminated',
        [database],
      );
      return rows[0].n;
    });
    this.record('database-drop', `${service}-service`, `${terminated} connection(s)`);
  }

  private async providerBurst(): Promise<void> {
    const { kind, target } = providerBurst(this.bursts++);
    const faults = providerFaults(kind, this.random);
    await simulatorControl(this.platform.stack.urls[target]).setFaults(faults);
    this.record(kind, target, `${JSON.stringify(faults.rules[0])} for ${this.settings.providerBurstMs} ms`);
    try {
      // Not cut short by stop(): every burst lasts as long as announced.
      await sleep(this.settings.providerBurstMs);
    } finally {
      await this.clearProviderFaults(target);
    }
  }

  private async clearProviderFaults(provider: SimulatorName): Promise<void> {
    await simulatorControl(this.platform.stack.urls[provider]).clearFaults();
  }
}
