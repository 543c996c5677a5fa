import { errorMessage, withPostgres } from '@orders/local-processes';
import { AppName, ProcessName, ServiceName, SERVICES, SimulatorName } from '@orders/local-stack';
import { FaultConfig, simulatorControl } from '@orders/provider-simulators';
import { setTimeout as sleep } from 'node:timers/promises';
import { Platform } from '../support/platform';
import { ChaosConfig } from './config';
import { integerBetween, jittered, pick, pickWeighted, Random } from './random';

export const FAULT_KINDS = ['app-kill', 'nats-restart', 'database-drop', 'provider-429', 'provider-5xx', 'provider-latency'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface InjectedFault {
  kind: FaultKind;
  target: string;
  /** Milliseconds since the injector started. */
  atMs: number;
  detail?: string;
}

/** How many faults of each kind, every kind named. */
export function countFaults(faults: readonly InjectedFault[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  for (const fault of faults) counts[fault.kind]++;
  return counts;
}

export type FaultSettings = Pick<ChaosConfig, 'killIntervalMs' | 'natsIntervalMs' | 'natsDowntimeMs' | 'databaseIntervalMs' | 'providerIntervalMs' | 'providerBurstMs'>;

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

/**
 * Breaks the platform on a schedule while orders are placed: SIGKILLs apps (and starts
 * them again), restarts the private NATS server, cuts a service's Postgres connections,
 * and makes a provider throttle, fail or crawl for a few seconds. Each kind runs on its
 * own loop, so faults overlap as they would in real life.
 */
export class FaultInjector {
  readonly injected: InjectedFault[] = [];
  /** What did not recover as it should (e.g. an app that does not come back); each is a violation. */
  readonly problems: string[] = [];
  private readonly stopping = new AbortController();
  private loops: Array<Promise<void>> = [];
  private startedAt = 0;
  private bursts = 0;

  constructor(
    private readonly platform: Platform,
    private readonly settings: FaultSettings,
    private readonly random: Random,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.startedAt = Date.now();
    this.loops = [
      this.every(this.settings.killIntervalMs, () => this.killApp()),
      this.every(this.settings.natsIntervalMs, () => this.restartNats()),
      this.every(this.settings.databaseIntervalMs, () => this.dropDatabaseConnections()),
      this.every(this.settings.providerIntervalMs, () => this.providerBurst()),
    ];
  }

  /** Lets a fault being injected finish (a killed app is started again), then leaves every provider without faults. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
    await Promise.all(PROVIDERS.map((provider) => this.clearProviderFaults(provider)));
  }

  counts(): Record<FaultKind, number> {
    return countFaults(this.injected);
  }

  private async every(meanIntervalMs: number, inject: () => Promise<void>): Promise<void> {
    if (meanIntervalMs <= 0) return;
    for (;;) {
      try {
        await sleep(jittered(this.random, meanIntervalMs), undefined, { signal: this.stopping.signal });
      } catch {
        return;
      }
      await inject().catch((error: unknown) => this.problem(`Injecting a fault failed: ${errorMessage(error)}`));
    }
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

  private async killApp(): Promise<void> {
    const app = pickWeighted(this.random, KILL_WEIGHTS);
    await this.platform.stack.stopProcess(app, 'SIGKILL');
    this.record('app-kill', app);
    await this.bringBack(app);
  }

  /** Starts the app again; a start that fails is retried, an app that never comes back is a problem. */
  private async bringBack(app: ProcessName): Promise<void> {
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

  /** What a database failover or a network blip looks like to a service: every connection it holds dies at once. */
  private async dropDatabaseConnections(): Promise<void> {
    const service: ServiceName = pick(this.random, SERVICES);
    const database = decodeURIComponent(new URL(this.platform.stack.databaseUrls[service]).pathname.slice(1));
    const terminated = await withPostgres(this.platform.stack.adminDatabaseUrl, async (client) => {
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
