import { PROCESS_NAMES, ProcessName, replicaNamesOf, RunningStack } from '@orders/local-stack';
import { Watched } from '../measure/process-usage';

/** What the bench reads of a running stack to find its processes. */
export type StackProcesses = Pick<RunningStack, 'topology' | 'natsNodes' | 'pid'>;

/**
 * Every app and simulator under its own name, the CPU and memory of its replicas summed; NATS as
 * "nats-server", the bench's private server or every node of the stack's cluster; Postgres; and the
 * bench itself. Read at every sample, so a process restarted meanwhile is found by its new pid.
 */
export function watchedProcesses(stack: StackProcesses, privateNatsPid: number | undefined): Record<string, Watched> {
  const watched: Record<string, Watched> = {};
  for (const name of PROCESS_NAMES) {
    const pids = runningPids(replicaNamesOf(name, stack.topology).map((replica) => stack.pid(replica)));
    if (pids.length > 0) watched[name] = { pids };
  }
  const natsPids = runningPids([privateNatsPid, ...stack.natsNodes.map((node) => node.pid)]);
  if (natsPids.length > 0) watched['nats-server'] = { pids: natsPids };
  watched.postgres = { command: 'postgres' };
  watched['bench (load generator)'] = { pids: [process.pid] };
  return watched;
}

/** The running processes of these apps by pid, each named after its replica ("order-service", or "order-service-2" when replicated). */
export function processNamesByPid(stack: StackProcesses, apps: readonly ProcessName[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const replica of apps.flatMap((app) => replicaNamesOf(app, stack.topology))) {
    const pid = stack.pid(replica);
    if (pid !== undefined) names.set(pid, replica);
  }
  return names;
}

function runningPids(pids: ReadonlyArray<number | undefined>): number[] {
  return pids.filter((pid): pid is number => pid !== undefined);
}
