import { ManagedProcess, ProcessLogs } from '@orders/local-processes';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT, startStack } from './stack';
import { stackProcessSpec } from './stack-processes';

describe('the command that runs a process of the stack', () => {
  const env = { LOG_LEVEL: 'info', NODE_ENV: 'development' };

  it('runs the TypeScript entry point through tools/register.cjs by default', () => {
    expect(stackProcessSpec('gateway', { rootDir: REPOSITORY_ROOT, runtime: 'typescript', watch: false }, env)).toEqual({
      name: 'gateway',
      command: process.execPath,
      args: ['--enable-source-maps', '-r', './tools/register.cjs', 'apps/gateway/src/main.ts'],
      cwd: REPOSITORY_ROOT,
      env,
    });
  });

  it('runs the production bundle with plain node in its directory, as the image does', () => {
    expect(stackProcessSpec('order-service', { rootDir: '/repo', runtime: 'bundles', watch: false }, env)).toEqual({
      name: 'order-service',
      command: process.execPath,
      args: ['--enable-source-maps', 'main.js'],
      cwd: '/repo/dist/apps/order-service',
      env: { LOG_LEVEL: 'info', NODE_ENV: 'production' },
    });
    expect(stackProcessSpec('carrier-sim', { rootDir: '/repo', runtime: 'bundles', watch: false }, env)).toMatchObject({
      args: ['--enable-source-maps', 'carrier.js'],
      cwd: '/repo/dist/libs/provider-simulators',
    });
  });
});

describe('a stack run from bundles', () => {
  let rootDir: string;

  beforeEach(async () => {
    rootDir = await mkdtemp(join(tmpdir(), 'bundles-'));
  });

  afterEach(() => rm(rootDir, { recursive: true, force: true }));

  it('starts a bundle that prints where and how it runs', async () => {
    await mkdir(join(rootDir, 'dist/apps/gateway'), { recursive: true });
    await writeFile(join(rootDir, 'dist/apps/gateway/main.js'), 'console.log(`${process.cwd()} ${process.env.NODE_ENV}`);\n');
    const logs = new ProcessLogs('capture');
    const bundle = new ManagedProcess(stackProcessSpec('gateway', { rootDir, runtime: 'bundles', watch: false }, { ...process.env, NODE_ENV: 'development' }), logs);

    bundle.start();
    expect(await bundle.waitForExit()).toMatchObject({ code: 0 });
    expect(logs.of('gateway')).toContain(`${join(rootDir, 'dist/apps/gateway')} production`);
  });

  it('refuses to start without the bundles, naming the command that builds them, and refuses to watch', async () => {
    const start = (watch: 'gateway'[]) => startStack({ rootDir, runtime: 'bundles', watch, logs: 'capture' });

    await expect(start([])).rejects.toThrow(/ dist\/apps\/gateway\/main\.js\n[\s\S]*Build the bundles first: npx nx run-many -t build$/);
    await expect(start(['gateway'])).rejects.toThrow('a stack run from bundles cannot watch');
  });
});
