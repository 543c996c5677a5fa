import { formatTable } from '../measure/table';

/** Resident memory of one process of the platform, in MB. */
export interface ProcessMemory {
  name: string;
  /** Median of the samples taken once the platform had idled after starting. */
  idleRssMb: number;
  /** Median of the samples taken once it had idled again after placing orders. */
  afterOrdersRssMb: number;
  /** The most it held at any time (VmHWM), startup included. */
  peakRssMb: number;
  /** Both idle medians within the goal; `null` for a process the goal does not judge (the simulators). */
  withinGoal: boolean | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('The median of no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A process is judged on the larger of its two idle medians: memory initialised on first use counts. */
export function judge(idleRssMb: number, afterOrdersRssMb: number, goalMb: number, judged: boolean): boolean | null {
  return judged ? Math.max(idleRssMb, afterOrdersRssMb) <= goalMb : null;
}

export function formatMemoryTable(processes: readonly ProcessMemory[], goalMb: number): string {
  return formatTable(
    ['process', 'idle RSS MB', 'after orders RSS MB', 'peak RSS MB', `≤ ${goalMb} MB`],
    processes.map((process) => [
      process.name,
      process.idleRssMb,
      process.afterOrdersRssMb,
      process.peakRssMb,
      process.withinGoal === null ? '-' : process.withinGoal ? 'pass' : 'FAIL',
    ]),
  );
}
