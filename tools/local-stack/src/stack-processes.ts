import { ManagedProcess, ProcessLogs, ProcessSpec } from '@orders/local-processes';
import { bundleProcess } from './bundle-process';
import { checkHttpOk } from './http';
import { processEnvironment, StackWiring } from './stack-environment';
import { bundleOf, entryPointOf, mapProcesses, ProcessName, READINESS_PATH } from './stack-topology';
import { typeScriptProcess } from './typescript-process';

/** `typescript`: each process from its TypeScript entry point; `bundles`: from its production bundle in dist/, as deployed. */
export type StackRuntime = 'typescript' | 'bundles';

export interface StackProcessesOptions {
  rootDir: string;
  wiring: StackWiring;
  /** Environment every process starts from, before its wiring and extra variables. */
  inherited: NodeJS.ProcessEnv;
  /** Extra variables per process, applied last. */
  extraEnv?: Partial<Record<ProcessName, Record<string, string>>>;
  runtime: StackRuntime;
  /** The processes that restart when their sources change (`node --watch`). */
  watch?: readonly ProcessName[];
  readyTimeoutMs: number;
  stopGraceMs: number;
  logs: ProcessLogs;
}

/** The simulators and apps of one stack, each run from its entry point or bundle and wired to the others. */
export class StackProcesses {
  private readonly processes: Record<ProcessName, ManagedProcess>;

  constructor(private readonly options: StackProcessesOptions) {
    const { rootDir, wiring, inherited, extraEnv, runtime, watch = [], logs } = options;
    this.processes = mapProcesses((name) => {
      const env = { ...inherited, ...processEnvironment(name, wiring), ...extraEnv?.[name] };
      return new ManagedProcess(stackProcessSpec(name, { rootDir, runtime, watch: watch.includes(name) }, env), logs);
    });
  }

  /** Starts the processes together and resolves once every one answers its health check. */
  async start(names: readonly ProcessName[], signal?: AbortSignal): Promise<void> {
    await Promise.all(names.map((name) => this.startOne(name, signal)));
  }

  /** Sends `signal` to the processes, then SIGKILL to any still running after the grace period. */
  async stop(names: readonly ProcessName[], signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(names.map((name) => this.processes[name].stop(signal, this.options.stopGraceMs)));
  }

  pid(name: ProcessName): number | undefined {
    return this.processes[name].pid;
  }

  /** Sends `signal` to one running process without waiting for anything (SIGSTOP freezes it, SIGCONT thaws it). */
  signal(name: ProcessName, signal: NodeJS.Signals): void {
    this.processes[name].signal(signal);
  }

  private async startOne(name: ProcessName, signal?: AbortSignal): Promise<void> {
    const process = this.processes[name];
    const url = `${this.options.wiring.urls[name]}${READINESS_PATH}`;
    process.start();
    await process.waitUntilReady(() => checkHttpOk(url), { description: `${name} to be ready (GET ${url})`, timeoutMs: this.options.readyTimeoutMs, signal });
  }
}

/** How one process of the stack is run in the chosen runtime. */
export function stackProcessSpec(name: ProcessName, how: { rootDir: string; runtime: StackRuntime; watch: boolean }, env: NodeJS.ProcessEnv): ProcessSpec {
  return how.runtime === 'bundles' ? bundleProcess(name, how.rootDir, bundleOf(name), env) : typeScriptProcess(name, how.rootDir, entryPointOf(name), env, { watch: how.watch });
}
