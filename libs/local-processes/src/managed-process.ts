import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { errorMessage } from './errors';
import { describeTail, LogStream, ProcessLogs } from './process-logs';
import { waitFor, WaitForOptions } from './wait-for';

export interface ProcessSpec {
  /** Label for logs and error messages. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export const DEFAULT_STOP_GRACE_MS = 15_000;

/**
 * Children run in their own process group, so a Ctrl-C in the terminal reaches only
 * the launcher, which then stops them in order. The flip side: they would outlive a
 * launcher that dies unexpectedly, so whatever still runs at exit is killed.
 */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child);
});

/**
 * SIGKILL to the child's whole process group: a child that runs the real process as its own
 * child (`node --watch`) cannot pass that signal on, so both are killed at once.
 */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (error) {
    // ESRCH: the group is already gone.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** A child process that can be stopped and started again, with its output sent to `logs`. */
export class ManagedProcess {
  private child?: ChildProcess;
  private exit?: Promise<ExitInfo>;

  constructor(
    readonly spec: ProcessSpec,
    private readonly logs: ProcessLogs,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  /** The operating system's id of the running process, e.g. to read its CPU time and memory. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child) throw new Error(`${this.name} is already running`);
    const { command, args, cwd, env } = this.spec;
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    this.pipe(child, 'stdout');
    this.pipe(child, 'stderr');
    this.exit = new Promise((resolve) => {
      const settle = (info: ExitInfo, message: string): void => {
        if (!running.delete(child)) return;
        if (this.child === child) this.child = undefined;
        this.logs.write(this.name, message, info.code === 0 ? 'stdout' : 'stderr');
        resolve(info);
      };
      // A process that never started has no pid; other errors (a failed kill) leave it running.
      child.on('error', (error) => {
        if (child.pid === undefined) settle({ code: null, signal: null }, `failed to start ${command}: ${error.message}`);
      });
      // 'close' rather than 'exit': by then all output is logged, so error messages can quote it.
      child.once('close', (code, signal) => settle({ code, signal }, `exited (${describeExit({ code, signal })})`));
    });
  }

  /** Resolves with how the current (or else the last) run ended; `undefined` if never started. */
  waitForExit(): Promise<ExitInfo | undefined> {
    return this.exit ?? Promise.resolve(undefined);
  }

  /** Sends `signal` to the running process and returns at once, e.g. SIGSTOP and SIGCONT to freeze and thaw it. */
  signal(signal: NodeJS.Signals): void {
    if (!this.child) throw new Error(`${this.name} is not running`);
    this.child.kill(signal);
  }

  /** Sends `signal`, then SIGKILL if the process is still alive after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = DEFAULT_STOP_GRACE_MS): Promise<ExitInfo | undefined> {
    const child = this.child;
    if (!child) return undefined;
    const killer = setTimeout(() => {
      this.logs.write(this.name, `still running ${graceMs} ms after ${signal}, sending SIGKILL`, 'stderr');
      killGroup(child);
    }, graceMs);
    child.kill(signal);
    // A frozen (SIGSTOPped) process would keep the signal pending until the grace period is over; a running one ignores SIGCONT.
    child.kill('SIGCONT');
    try {
      return await this.waitForExit();
    } finally {
      clearTimeout(killer);
    }
  }

  /**
   * Polls `check` until it passes while the process runs. Fails early if the process
   * exits, and on failure quotes the process's last output, which usually says why.
   */
  async waitUntilReady(check: () => Promise<unknown>, options: WaitForOptions): Promise<void> {
    const exited = new AbortController();
    void this.waitForExit().then((info) =>
      exited.abort(new Error(`${this.name} exited (${info ? describeExit(info) : 'never started'}) while waiting for ${options.description}`)),
    );
    const signal = options.signal ? AbortSignal.any([options.signal, exited.signal]) : exited.signal;
    try {
      await waitFor(check, { ...options, signal });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new Error(`${errorMessage(error)}\n${describeTail(this.logs, this.name)}`, { cause: error });
    }
  }

  private pipe(child: ChildProcess, stream: LogStream): void {
    const source = child[stream];
    if (!source) return;
    createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => this.logs.write(this.name, line, stream));
  }
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
