import { parseArgs } from 'node:util';
import { PROCESS_NAMES, ProcessName } from './stack-topology';

export interface LauncherOptions {
  /** The processes that restart when their sources (or the libs they use) change. */
  watch: ProcessName[];
}

export const LAUNCHER_USAGE = `Usage: npm start [-- --watch <process>]...
  --watch <process>  restart that process when its sources or the libs it uses change (repeatable)
  processes: ${PROCESS_NAMES.join(', ')}`;

/** The launcher's command line: `npm start -- --watch order-service`. */
export function parseLauncherOptions(args: readonly string[]): LauncherOptions {
  const { values } = parseArgs({ args: [...args], options: { watch: { type: 'string', multiple: true } }, strict: true, allowPositionals: false });
  const watch = values.watch ?? [];
  const unknown = watch.filter((name) => !isProcessName(name));
  if (unknown.length > 0) throw new Error(`--watch ${unknown.join(', ')}: not a process of the stack`);
  return { watch: [...new Set(watch as ProcessName[])] };
}

function isProcessName(name: string): name is ProcessName {
  return (PROCESS_NAMES as readonly string[]).includes(name);
}
