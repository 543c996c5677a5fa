import { readFile } from 'node:fs/promises';

/** The parts of V8's `.cpuprofile` (written by `node --cpu-prof`) that attribute time. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
}

export interface TimeShare {
  where: string;
  percent: number;
}

/**
 * Where a process spent its CPU time, by package or workspace project: answers "is it our
 * code, the ORM, the logger or the driver?". Time in Node's own modules and in native code
 * (socket writes, JSON, crypto) goes to the nearest package or project up the stack that
 * asked for it. Idle time and the profiler's own work are left out, so the shares add up
 * to 100 % of the busy time.
 */
export async function summarizeCpuProfile(path: string, top = 15): Promise<TimeShare[]> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const owner = attributeNodes(profile);
  const microseconds = new Map<string, number>();
  profile.samples.forEach((nodeId, index) => {
    const where = owner.get(nodeId) ?? '(unknown)';
    microseconds.set(where, (microseconds.get(where) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  microseconds.delete('(idle)');
  microseconds.delete(PROFILER);
  const busy = [...microseconds.values()].reduce((sum, value) => sum + value, 0);
  return [...microseconds.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, time]) => ({ where, percent: Math.round((time / busy) * 1000) / 10 }));
}

const PROFILER = '(profiler)';

/** Each node's owner: its own, unless it is runtime code, then its nearest caller's that is not. */
function attributeNodes(profile: CpuProfile): Map<number, string> {
  const owners = new Map<number, string>();
  const visit = (nodeId: number, inherited: string | undefined): void => {
    const node = byId.get(nodeId);
    if (!node) return;
    const own = node.callFrame.url === 'node:inspector' ? PROFILER : ownerOf(node.callFrame);
    const owner = inherited === PROFILER ? PROFILER : isRuntime(own) && inherited !== undefined ? inherited : own;
    owners.set(nodeId, owner);
    for (const child of node.children ?? []) visit(child, isRuntime(owner) ? inherited : owner);
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const children = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  for (const node of profile.nodes) if (!children.has(node.id)) visit(node.id, undefined);
  return owners;
}

function isRuntime(owner: string): boolean {
  return owner === '(native)' || owner === 'node (core modules)';
}

export function ownerOf(callFrame: CallFrame): string {
  const { url, functionName } = callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  const project = /\/(apps|libs|tools)\/([^/]+)\//.exec(url);
  if (project) return `${project[1]}/${project[2]}`;
  if (url.startsWith('node:')) return 'node (core modules)';
  return url;
}
