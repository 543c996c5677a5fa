import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU time and memory of the processes under test, read from Linux's /proc: CPU as
 * user+system time (what `top` integrates), peak memory as the kernel's high-water mark
 * (VmHWM) of each process (summed over the replicas of an app, which share nothing) and, for
 * Postgres (one process per connection sharing one buffer pool), the largest sampled sum of
 * proportional set sizes (Pss), which counts shared memory once. No npm package reports both
 * the high-water mark and Pss.
 */

/** What to watch under one name: these pids (e.g. the replicas of one app), or every process with this command name (e.g. "postgres"). */
export type Watched = { pids: number[] } | { command: string };

export interface UsageSnapshot {
  /** Wall-clock time of the snapshot, ms since the epoch. */
  at: number;
  /** CPU seconds consumed so far, per watched name. */
  cpuSeconds: Record<string, number>;
}

export interface ProcessUsage {
  name: string;
  /** CPU seconds between two snapshots. */
  cpuSeconds: number;
  /** The same as a share of one core over that time, in percent. */
  cpuPercentOfOneCore: number;
  peakRssMb: number;
}

const CLOCK_TICKS_PER_SECOND = 100;
const STAT_FIELDS_AFTER_COMMAND = { utime: 11, stime: 12 };

export class ProcessUsageMonitor {
  private readonly peakMb = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly watched: () => Record<string, Watched>) {}

  /** Samples memory every `intervalMs` until `stop()`. */
  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => void this.sampleMemory(), intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sampleMemory();
  }

  async snapshot(): Promise<UsageSnapshot> {
    const cpuSeconds: Record<string, number> = {};
    for (const [name, target] of Object.entries(this.watched())) {
      const pids = await pidsOf(target);
      const ticks = await Promise.all(pids.map(cpuTicks));
      cpuSeconds[name] = sum(ticks) / CLOCK_TICKS_PER_SECOND;
    }
    return { at: Date.now(), cpuSeconds };
  }

  /** Usage per process between two snapshots, with the peak memory seen so far. */
  usageBetween(from: UsageSnapshot, to: UsageSnapshot): ProcessUsage[] {
    const seconds = (to.at - from.at) / 1000;
    return Object.keys(to.cpuSeconds).map((name) => {
      // A process restarted in between starts counting from zero again.
      const cpuSeconds = Math.max(0, to.cpuSeconds[name] - (from.cpuSeconds[name] ?? 0));
      return {
        name,
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        cpuPercentOfOneCore: Math.round((cpuSeconds / seconds) * 1000) / 10,
        peakRssMb: Math.round(this.peakMb.get(name) ?? 0),
      };
    });
  }

  private async sampleMemory(): Promise<void> {
    for (const [name, target] of Object.entries(this.watched())) {
      const pids = await pidsOf(target);
      const megabytes = sum(await Promise.all(pids.map('pids' in target ? highWaterMarkMb : proportionalSetMb)));
      this.peakMb.set(name, Math.max(this.peakMb.get(name) ?? 0, megabytes));
    }
  }
}

async function pidsOf(target: Watched): Promise<number[]> {
  if ('pids' in target) return target.pids;
  const entries = await readdir('/proc');
  const pids = entries.filter((entry) => /^\d+$/.test(entry)).map(Number);
  const commands = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')));
  return pids.filter((_, index) => commands[index].trim() === target.command);
}

async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return 0;
  // The command name is in parentheses and may contain spaces; fields are counted after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[STAT_FIELDS_AFTER_COMMAND.utime]) + Number(fields[STAT_FIELDS_AFTER_COMMAND.stime]);
}

/** The memory a process holds now (VmRSS), in MB; 0 once it is gone. */
export async function residentSetMb(pid: number): Promise<number> {
  return kilobytesField(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''), 'VmRSS') / 1024;
}

/** The most memory a process has held since it started (VmHWM), in MB. */
export async function highWaterMarkMb(pid: number): Promise<number> {
  return kilobytesField(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''), 'VmHWM') / 1024;
}

async function proportionalSetMb(pid: number): Promise<number> {
  return kilobytesField(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => ''), 'Pss') / 1024;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function kilobytesField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}
