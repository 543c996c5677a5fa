import { ManagedProcess, ProcessLogs, ProcessSpec, waitFor } from '@orders/local-processes';
import { bundleProcess } from './bundle-process';
import { checkHttpOk } from './http';
import { Replica, ReplicaProxy, ReplicaRouting } from './replica-proxy';
import { processEnvironment, StackWiring } from './stack-environment';
import { bundleOf, entryPointOf, mapProcesses, PROCESS_NAMES, ProcessName, READINESS_PATH, StackProcessName } from './stack-topology';
import { typeScriptProcess } from './typescript-process';

/** `typescript`: each process from its TypeScript entry point; `bundles`: from its production bundle in dist/, as deployed. */
export type StackRuntime = 'typescript' | 'bundles';

export interface StackProcessesOptions {
  rootDir: string;
  wiring: StackWiring;
  /** The processes of each app or simulator, each on its own URL; several of one app share a proxy on the app's URL. */
  replicas: Record<ProcessName, readonly Replica[]>;
  /** Environment every process starts from, before its wiring and extra variables. */
  inherited: NodeJS.ProcessEnv;
  /** Extra variables per app or simulator (for each of its replicas), applied last. */
  extraEnv?: Partial<Record<ProcessName, Record<string, string>>>;
  runtime: StackRuntime;
  /** The apps and simulators that restart when their sources change (`node --watch`). */
  watch?: readonly ProcessName[];
  readyTimeoutMs: number;
  stopGraceMs: number;
  logs: ProcessLogs;
}

interface StackProcess extends Replica {
  process: ManagedProcess;
  proxy?: ReplicaProxy;
}

/** The simulators and apps of one stack, each run from its entry point or bundle and wired to the others. */
export class StackProcesses {
  private readonly processes: Record<ProcessName, StackProcess[]>;
  private readonly proxies: Partial<Record<ProcessName, ReplicaProxy>> = {};

  constructor(private readonly options: StackProcessesOptions) {
    const { rootDir, wiring, replicas, inherited, extraEnv, runtime, watch = [], logs } = options;
    this.processes = mapProcesses((name) => {
      const proxy = replicas[name].length > 1 ? new ReplicaProxy({ app: name, replicas: replicas[name], logs }) : undefined;
      if (proxy) this.proxies[name] = proxy;
      return replicas[name].map((replica) => {
        const env = { ...inherited, ...processEnvironment(name, wiring, new URL(replica.url).port), ...extraEnv?.[name] };
        const spec = { ...stackProcessSpec(name, { rootDir, runtime, watch: watch.includes(name) }, env), name: replica.name };
        return { ...replica, process: new ManagedProcess(spec, logs), proxy };
      });
    });
  }

  /** The proxy of each replicated app starts listening on the app's address, so that its callers find it whenever they start. */
  async listen(): Promise<void> {
    for (const [name, proxy] of Object.entries(this.proxies)) await proxy.listen(Number(new URL(this.options.wiring.urls[name as ProcessName]).port));
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.proxies).map((proxy) => proxy.close()));
  }

  /** Starts the processes together and resolves once every one answers its health check (and, behind a proxy, is in its rotation). */
  async start(names: readonly StackProcessName[], signal?: AbortSignal): Promise<void> {
    await Promise.all(this.resolve(names).map((process) => this.startOne(process, signal)));
  }

  /**
   * Takes the processes out of their proxies' rotation, sends them `signal`, then SIGKILL to any still
   * running after the grace period: what Kubernetes does when it deletes a pod.
   */
  async stop(names: readonly StackProcessName[], signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(
      this.resolve(names).map(({ name, process, proxy }) => {
        proxy?.drain(name);
        return process.stop(signal, this.options.stopGraceMs);
      }),
    );
  }

  /** The operating system's id of one running process; an app with several replicas is asked for by replica. */
  pid(name: StackProcessName): number | undefined {
    const [process, ...others] = this.resolve([name]);
    if (others.length > 0) throw new Error(`${name} runs as ${this.names(name).join(', ')}; ask for one of them`);
    return process.process.pid;
  }

  /** Sends `signal` to running processes without waiting for anything (SIGSTOP freezes them, SIGCONT thaws them). */
  signal(name: StackProcessName, signal: NodeJS.Signals): void {
    for (const { process } of this.resolve([name])) process.signal(signal);
  }

  /** The processes `name` stands for: every replica of an app or simulator, or one replica. */
  names(name: StackProcessName): StackProcessName[] {
    return this.resolve([name]).map((process) => process.name as StackProcessName);
  }

  /** Where the proxy in front of a replicated app has sent requests so far. */
  routing(app: ProcessName): ReplicaRouting[] {
    const proxy = this.proxies[app];
    if (!proxy) throw new Error(`${app} runs once, with no proxy in front of it`);
    return proxy.routing();
  }

  private resolve(names: readonly StackProcessName[]): StackProcess[] {
    return names.flatMap((name) => {
      const app = this.processes[name as ProcessName];
      if (app) return app;
      const replica = PROCESS_NAMES.flatMap((candidate) => this.processes[candidate]).find((process) => process.name === name);
      if (!replica) throw new Error(`${name} is not a process of the stack`);
      return [replica];
    });
  }

  private async startOne({ name, url, process, proxy }: StackProcess, signal?: AbortSignal): Promise<void> {
    const readiness = `${url}${READINESS_PATH}`;
    proxy?.resume(name);
    process.start();
    await process.waitUntilReady(() => checkHttpOk(readiness), { description: `${name} to be ready (GET ${readiness})`, timeoutMs: this.options.readyTimeoutMs, signal });
    if (proxy) await waitFor(() => proxy.inRotation(name), { description: `${proxy.logName} to route to ${name}`, timeoutMs: this.options.readyTimeoutMs, signal });
  }
}

/** How one process of the stack is run in the chosen runtime. */
export function stackProcessSpec(name: ProcessName, how: { rootDir: string; runtime: StackRuntime; watch: boolean }, env: NodeJS.ProcessEnv): ProcessSpec {
  return how.runtime === 'bundles' ? bundleProcess(name, how.rootDir, bundleOf(name), env) : typeScriptProcess(name, how.rootDir, entryPointOf(name), env, { watch: how.watch });
}
