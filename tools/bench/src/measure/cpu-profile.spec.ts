import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerOf, summarizeCpuProfile } from './cpu-profile';

describe('CPU profile summary', () => {
  it('names the package, the workspace project or the runtime a function belongs to', () => {
    expect(ownerOf({ functionName: 'query', url: 'file:///repo/node_modules/typeorm/query-runner.js' })).toBe('typeorm');
    expect(ownerOf({ functionName: 'publish', url: 'file:///repo/node_modules/@nats-io/jetstream/lib/jsclient.js' })).toBe('@nats-io/jetstream');
    expect(ownerOf({ functionName: 'handle', url: 'file:///repo/apps/order-service/src/application/x.ts' })).toBe('apps/order-service');
    expect(ownerOf({ functionName: 'emit', url: 'node:events' })).toBe('node (core modules)');
    expect(ownerOf({ functionName: '(garbage collector)', url: '' })).toBe('(garbage collector)');
  });

  it('shares busy time by owner, leaving idle time out', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'profile-')), 'test.cpuprofile');
    const nodes = [
      { id: 1, callFrame: { functionName: '(idle)', url: '' } },
      { id: 2, callFrame: { functionName: 'insert', url: 'file:///r/node_modules/pg/lib/client.js' } },
      { id: 3, callFrame: { functionName: 'handle', url: 'file:///r/apps/order-service/src/a.ts' } },
    ];
    await writeFile(path, JSON.stringify({ nodes, samples: [1, 2, 2, 3], timeDeltas: [500, 300, 300, 200] }));

    expect(await summarizeCpuProfile(path)).toEqual([
      { where: 'pg', percent: 75 },
      { where: 'apps/order-service', percent: 25 },
    ]);
  });

  it("gives runtime and native time to the package that asked for it, and leaves the profiler's own work out", async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'profile-')), 'test.cpuprofile');
    const nodes = [
      { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 5] },
      { id: 2, callFrame: { functionName: 'write', url: 'file:///r/node_modules/pino/lib/proto.js' }, children: [3] },
      { id: 3, callFrame: { functionName: 'writevGeneric', url: 'node:internal/stream_base_commons' }, children: [4] },
      { id: 4, callFrame: { functionName: 'writev', url: '' } },
      { id: 5, callFrame: { functionName: 'post', url: 'node:inspector' }, children: [6] },
      { id: 6, callFrame: { functionName: 'dispatch', url: '' } },
    ];
    await writeFile(path, JSON.stringify({ nodes, samples: [4, 3, 6, 6], timeDeltas: [100, 100, 900, 900] }));

    expect(await summarizeCpuProfile(path)).toEqual([{ where: 'pino', percent: 100 }]);
  });
});
