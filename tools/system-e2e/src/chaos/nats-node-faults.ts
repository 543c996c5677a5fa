import { NatsServer } from '@orders/local-processes';
import { RunningStack } from '@orders/local-stack';
import { STREAMS } from '@orders/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { withJetStream } from './jetstream-state';
import { pick, Random } from './random';

/** What happens to a node of the cluster, the kinds taking turns: a graceful restart, a SIGKILL, or lame-duck mode. */
export const NATS_NODE_FAULTS = ['nats-restart', 'nats-node-kill', 'nats-lame-duck'] as const;
export type NatsNodeFault = (typeof NATS_NODE_FAULTS)[number];

/** Which node a fault hits, taking turns: whoever leads a stream, any node, whoever leads the metadata, any node. */
const TARGETS = ['stream leader', 'any node', 'meta leader', 'any node'] as const;

const SELF_ELECTED = 'Self is new JetStream cluster metadata leader';
const OTHER_ELECTED = /JetStream cluster new metadata leader: ([^/\s]+)/;
const LOG_TIME = /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d+/;

/**
 * The node that leads the cluster's metadata (the JetStream API), as the nodes last logged it: the
 * winner logs "Self is new JetStream cluster metadata leader", the others "...new metadata leader:
 * <name>/<cluster>". The servers run without a system account or monitoring port, through which
 * `jsz` would tell; `$JS.API.INFO` tells an account's usage, not the leader.
 */
export function metaLeaderFromLogs(logsByNode: ReadonlyMap<string, readonly string[]>): string | undefined {
  let latest: { at: string; leader: string } | undefined;
  for (const [node, lines] of logsByNode) {
    for (const line of lines) {
      const at = LOG_TIME.exec(line)?.[0];
      const leader = line.includes(SELF_ELECTED) ? node : OTHER_ELECTED.exec(line)?.[1];
      if (at && leader && (!latest || at >= latest.at)) latest = { at, leader };
    }
  }
  return latest?.leader;
}

/** The `index`-th fault's node and why it was chosen; a leader that cannot be found makes it any running node. */
export async function chooseNatsNode(stack: RunningStack, index: number, random: Random): Promise<{ node: NatsServer; role: string }> {
  const running = stack.natsNodes.filter((node) => node.pid !== undefined);
  const target = TARGETS[index % TARGETS.length];
  const leader = await leaderOf(stack, target, random).catch(() => undefined);
  const node = running.find((candidate) => candidate.name === leader?.name);
  if (leader && node) return { node, role: leader.role };
  return { node: pick(random, running), role: target === 'any node' ? 'any node' : `any node (no ${target} found)` };
}

async function leaderOf(stack: RunningStack, target: (typeof TARGETS)[number], random: Random): Promise<{ name: string; role: string } | undefined> {
  if (target === 'meta leader') {
    const name = metaLeaderFromLogs(new Map(stack.natsNodes.map((node) => [node.name, stack.logs(node.name)])));
    return name === undefined ? undefined : { name, role: 'meta leader' };
  }
  if (target === 'stream leader') {
    const stream = pick(random, STREAMS).name;
    const info = await withJetStream(stack.natsUrl, (jsm) => jsm.streams.info(stream));
    return info.cluster?.leader === undefined ? undefined : { name: info.cluster.leader, role: `leader of stream ${stream}` };
  }
  return undefined;
}

/** Takes one node of the stack's cluster down in one of three ways, and starts it again. */
export class NatsNodeFaults {
  constructor(
    private readonly stack: RunningStack,
    private readonly lameDuckGraceMs: number,
  ) {}

  /** Takes `node` down; says how it went. */
  async takeDown(node: NatsServer, kind: NatsNodeFault): Promise<string> {
    switch (kind) {
      case 'nats-restart':
        await node.stop();
        return 'stopped (SIGINT)';
      case 'nats-node-kill':
        await node.kill();
        return 'SIGKILLed';
      case 'nats-lame-duck':
        return this.lameDuck(node);
    }
  }

  async start(name: string): Promise<void> {
    const node = this.stack.natsNodes.find((candidate) => candidate.name === name);
    if (!node) throw new Error(`No NATS node is named ${name}`);
    if (node.pid === undefined) await node.start();
  }

  /**
   * SIGUSR2 (what `nats-server --signal ldm=<pid>` sends): the node stops accepting clients, hands its
   * leaderships over, evicts its clients and exits. It spreads the evictions over minutes, so after
   * a grace period it is stopped, as a pod's termination grace period would end it.
   */
  private async lameDuck(node: NatsServer): Promise<string> {
    const pid = node.pid;
    if (pid === undefined) throw new Error(`NATS node ${node.name} is not running`);
    process.kill(pid, 'SIGUSR2');
    const started = Date.now();
    while (node.pid !== undefined && Date.now() - started < this.lameDuckGraceMs) await sleep(200);
    if (node.pid === undefined) return `lame-duck mode (SIGUSR2), left by itself after ${Date.now() - started} ms`;
    await node.stop();
    return `lame-duck mode (SIGUSR2), stopped after ${this.lameDuckGraceMs} ms`;
  }
}
