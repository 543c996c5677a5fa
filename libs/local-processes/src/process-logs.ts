/**
 * `inherit` streams every line to the terminal, prefixed with the process name;
 * `capture` keeps every line in memory so tests can assert on them;
 * `tail` prints nothing and keeps only the recent lines, for long runs such as benchmarks.
 */
export type LogMode = 'inherit' | 'capture' | 'tail';

export type LogStream = 'stdout' | 'stderr';

/** The name under which the launcher logs its own progress. */
export const STACK_LOG = 'stack';

/** Outside capture mode only a tail is kept: enough to explain why a process failed. */
const TAIL_LINES = 200;

// Bright colors that stay readable on dark and light terminals; red is left for errors.
const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94, 37];

export class ProcessLogs {
  private readonly lines = new Map<string, string[]>();
  private readonly colors = new Map<string, number>();
  private readonly useColor = process.stdout.isTTY === true && !('NO_COLOR' in process.env);

  /** `labelWidth` pads the `[name]` prefixes so that output from all processes lines up. */
  constructor(
    readonly mode: LogMode,
    private readonly labelWidth = 0,
  ) {}

  write(name: string, line: string, stream: LogStream = 'stdout'): void {
    const kept = this.linesOf(name);
    kept.push(line);
    if (this.mode !== 'capture' && kept.length > TAIL_LINES) kept.shift();
    if (this.mode === 'inherit') process[stream].write(`${this.label(name)} ${line}\n`);
  }

  /** Splits a chunk of output (which may hold several lines) and writes each line. */
  writeChunk(name: string, chunk: string): void {
    for (const line of chunk.split(/\r?\n/)) {
      if (line.length > 0) this.write(name, line);
    }
  }

  /** Every captured line, or the recent ones in the other modes. */
  of(name: string): string[] {
    return [...(this.lines.get(name) ?? [])];
  }

  tail(name: string, count = 30): string[] {
    return this.of(name).slice(-count);
  }

  private linesOf(name: string): string[] {
    let kept = this.lines.get(name);
    if (!kept) {
      kept = [];
      this.lines.set(name, kept);
    }
    return kept;
  }

  private label(name: string): string {
    const label = `[${name}]`.padEnd(this.labelWidth + 2);
    if (!this.useColor) return label;
    let color = this.colors.get(name);
    if (color === undefined) {
      color = COLORS[this.colors.size % COLORS.length];
      this.colors.set(name, color);
    }
    return `\u001b[${color}m${label}\u001b[0m`;
  }
}

/** Formats the tail of a process's output for an error message. */
export function describeTail(logs: ProcessLogs, name: string): string {
  const tail = logs.tail(name);
  return tail.length === 0 ? `${name} wrote no output.` : `Last output of ${name}:\n${tail.map((line) => `  ${line}`).join('\n')}`;
}
