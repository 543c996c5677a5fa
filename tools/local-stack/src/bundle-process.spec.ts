import { ManagedProcess, ProcessLogs } from '@orders/local-processes';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageNodeOptions } from './bundle-process';
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

  it('runs the production bundle with plain node in its directory and the NODE_OPTIONS of the image, as the image does', () => {
    const nodeOptions = imageNodeOptions();
    expect(nodeOptions).toMatch(/^--enable-source-maps --max-semi-space-size=\d+ --max-old-space-size=\d+$/);
    expect(stackProcessSpec('order-service', { rootDir: '/repo', runtime: 'bundles', watch: false }, { ...env, NODE_OPTIONS: '--inspect' })).toEqual({
      name: 'order-service',
      command: process.execPath,
      args: ['main.js'],
      cwd: '/repo/dist/apps/order-service',
      env: { LOG_LEVEL: 'info', NODE_ENV: 'production', NODE_OPTIONS: nodeOptions },
    });
    expect(stackProcessSpec('carrier-sim', { rootDir: '/repo', runtime: 'bundles', watch: false }, env)).toMatchObject({
      args: ['carrier.js'],
      cwd: '/repo/dist/libs/provider-simulators',
    });
  });
});

describe("the image's NODE_OPTIONS", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dockerfile-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  const dockerfile = async (text: string) => {
    const file = join(dir, 'Dockerfile');
    await writeFile(file, text);
    return file;
  };

  it('are read from ENV, quoted or not, on its own line or within a longer ENV', async () => {
    expect(imageNodeOptions(await dockerfile('FROM node\nENV NODE_OPTIONS=--enable-source-maps\n'))).toBe('--enable-source-maps');
    expect(imageNodeOptions(await dockerfile('FROM node\nENV NODE_ENV=production \\\n    NODE_OPTIONS="--a --b=1" \\\n    PORT=3000\n'))).toBe('--a --b=1');
    expect(imageNodeOptions(await dockerfile('FROM node\nENV NODE_ENV=production \\\n    NODE_OPTIONS=--a\n'))).toBe('--a');
  });

  it('must be set exactly once', async () => {
    const unset = await dockerfile('FROM node\nENV NODE_ENV=production\n');
    expect(() => imageNodeOptions(unset)).toThrow(/set NODE_OPTIONS once, found 0/);
    const twice = await dockerfile('ENV NODE_OPTIONS=--a\nENV NODE_OPTIONS=--b\n');
    expect(() => imageNodeOptions(twice)).toThrow(/found 2/);
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
