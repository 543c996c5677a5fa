import { PROCESS_NAMES, replicaNamesOf, RunningStack } from '@orders/local-stack';
import { processNamesByPid, StackProcesses, watchedProcesses } from './watched-processes';

/** A stack whose processes have made-up pids, from 100 on in the order of their names; a stopped one has none. */
function stackOf(replicas: number, natsNodePids: Array<number | undefined> = [], stopped: string[] = []): StackProcesses {
  const topology = { replicas, natsCluster: Math.max(1, natsNodePids.length) };
  const names = PROCESS_NAMES.flatMap((name) => replicaNamesOf(name, topology));
  return {
    topology,
    natsNodes: natsNodePids.map((pid, index) => ({ name: `nats-${index + 1}`, pid })) as unknown as RunningStack['natsNodes'],
    pid: (name) => (stopped.includes(name) ? undefined : 100 + names.indexOf(name)),
  };
}

describe('the processes the bench watches', () => {
  it('watches each app and simulator, the private NATS server, Postgres and itself, one process each on the single topology', () => {
    const watched = watchedProcesses(stackOf(1), 77);
    expect(Object.keys(watched)).toEqual([...PROCESS_NAMES, 'nats-server', 'postgres', 'bench (load generator)']);
    expect(watched['order-service']).toEqual({ pids: [stackOf(1).pid('order-service')] });
    expect(watched['nats-server']).toEqual({ pids: [77] });
    expect(watched.postgres).toEqual({ command: 'postgres' });
    expect(watched['bench (load generator)']).toEqual({ pids: [process.pid] });
  });

  it('sums every replica of an app under its name and every node of the NATS cluster under nats-server', () => {
    const stack = stackOf(2, [41, 42, 43]);
    const watched = watchedProcesses(stack, undefined);
    expect(Object.keys(watched)).toEqual([...PROCESS_NAMES, 'nats-server', 'postgres', 'bench (load generator)']);
    expect(watched['order-service']).toEqual({ pids: [stack.pid('order-service-1'), stack.pid('order-service-2')] });
    expect(watched['carrier-sim']).toEqual({ pids: [stack.pid('carrier-sim')] });
    expect(watched['nats-server']).toEqual({ pids: [41, 42, 43] });
  });

  it('leaves out what is stopped: a stopped replica, a stopped NATS node, an app with none running', () => {
    const stack = stackOf(2, [41, undefined, 43], ['gateway-1', 'web-bff-1', 'web-bff-2']);
    const watched = watchedProcesses(stack, undefined);
    expect(watched.gateway).toEqual({ pids: [stack.pid('gateway-2')] });
    expect(watched['web-bff']).toBeUndefined();
    expect(watched['nats-server']).toEqual({ pids: [41, 43] });
  });

  it('names each profiled process after its replica, so the profiles of two replicas stay apart', () => {
    const single = stackOf(1);
    expect(processNamesByPid(single, ['order-service', 'gateway'])).toEqual(
      new Map([
        [single.pid('order-service'), 'order-service'],
        [single.pid('gateway'), 'gateway'],
      ]),
    );
    const replicated = stackOf(2, [], ['order-service-2']);
    expect(processNamesByPid(replicated, ['order-service'])).toEqual(new Map([[replicated.pid('order-service-1'), 'order-service-1']]));
  });
});
