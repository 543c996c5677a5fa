import { generateCallerTokenKeys } from '@orders/caller-tokens';
import { adminDatabaseUrl, createTestDatabase, freePort, PrivateNatsServer, startPrivateNatsServer, TestDatabase, waitFor } from '@orders/testing';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { APPS } from '../src';

// The webpack bundles in dist/ are what docker/Dockerfile puts into the images: the image
// installs exactly the generated package.json's dependencies (`npm ci --omit=dev --ignore-scripts`)
// next to them and runs `node main.js` (and `node migrate.js`, `node carrier.js`).

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/** Every image docker/Dockerfile builds (its APP build argument), with the entry points the image runs. */
const DEPLOYABLES: ReadonlyArray<{ project: string; outputPath: string; entryPoints: string[] }> = [
  ...APPS.map(({ project, context }) => ({ project, outputPath: `dist/apps/${project}`, entryPoints: context ? ['main.js', 'migrate.js'] : ['main.js'] })),
  { project: 'provider-simulators', outputPath: 'dist/libs/provider-simulators', entryPoints: ['main.js', 'carrier.js'] },
];

interface GeneratedPackageJson {
  dependencies?: Record<string, string>;
}

interface Lockfile {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
}

function readJson<T>(path: string): T {
  if (!existsSync(path)) throw new Error(`${path} is missing: build the deployables first (NX_DAEMON=false npx nx run-many -t build)`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

// `require("x")` as webpack emits it for an external module; the look-behind skips __webpack_require__(…) and obj.require(…).
const REQUIRE_CALL = /(?<![\w$.])require\(\s*(["'])([^"']+)\1\s*\)/g;

/** Every module specifier the emitted JavaScript files of a bundle require. */
function requiredSpecifiers(bundleDir: string): string[] {
  const scripts = readdirSync(bundleDir).filter((file) => file.endsWith('.js'));
  const specifiers = scripts.flatMap((file) => [...readFileSync(join(bundleDir, file), 'utf8').matchAll(REQUIRE_CALL)].map((match) => match[2]));
  return [...new Set(specifiers)].sort();
}

/** "@scope/name/sub/path" → "@scope/name", "name/sub" → "name". */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The workspace's install-script policy: only what it denies may be skipped without breaking a package. */
function deniedInstallScripts(): Set<string> {
  const { allowScripts = {} } = readJson<{ allowScripts?: Record<string, boolean> }>(join(WORKSPACE_ROOT, 'package.json'));
  return new Set(Object.entries(allowScripts).flatMap(([name, allowed]) => (allowed ? [] : [name])));
}

/** Apps that are static files inside another app's image (the gateway serves the operations console), not images of their own. */
const STATIC_APPS = ['ops-console'];

it('checks the bundle of every app in apps/', () => {
  const apps = readdirSync(join(WORKSPACE_ROOT, 'apps'))
    .filter((app) => !STATIC_APPS.includes(app))
    .sort();
  expect(
    DEPLOYABLES.filter(({ outputPath }) => outputPath.startsWith('dist/apps/'))
      .map(({ project }) => project)
      .sort(),
  ).toEqual(apps);
});

describe.each(DEPLOYABLES)('the $project bundle', ({ outputPath, entryPoints }) => {
  const bundleDir = join(WORKSPACE_ROOT, outputPath);
  const packageJson = () => readJson<GeneratedPackageJson>(join(bundleDir, 'package.json'));
  const lockfile = () => readJson<Lockfile>(join(bundleDir, 'package-lock.json'));

  it('contains the entry points its image runs', () => {
    expect(entryPoints.filter((file) => !existsSync(join(bundleDir, file)))).toEqual([]);
  });

  it('lists every npm package its code requires in the generated package.json, and inlines the workspace libraries', () => {
    const specifiers = requiredSpecifiers(bundleDir);
    // Every bundle needs at least node:http, so an empty list means the scan itself is broken.
    expect(specifiers.filter((specifier) => isBuiltin(specifier))).not.toEqual([]);

    const packages = [...new Set(specifiers.filter((specifier) => !isBuiltin(specifier)).map(packageOf))];
    const dependencies = packageJson().dependencies ?? {};
    expect(packages.filter((name) => name.startsWith('@orders/'))).toEqual([]);
    expect(packages.filter((name) => !(name in dependencies))).toEqual([]);
  });

  it('locks every dependency at the version the package.json names', () => {
    const { packages } = lockfile();
    const mismatches = Object.entries(packageJson().dependencies ?? {}).filter(([name, version]) => packages[`node_modules/${name}`]?.version !== version);
    expect(mismatches).toEqual([]);
  });

  it('needs no install script, as the image installs with --ignore-scripts', () => {
    const denied = deniedInstallScripts();
    const withScripts = Object.entries(lockfile().packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.filter((name) => !denied.has(name))).toEqual([]);
  });
});

/** `promise`'s value, or 'timed out' if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(resolve, ms, 'timed out');
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A database's open connections, and how many of its sessions ended without their client
 * closing them (PostgreSQL counts those as abandoned, e.g. a process killed with its pool open).
 */
async function sessionsOf(databaseName: string): Promise<{ backends: number; abandoned: number }> {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ backends: number; abandoned: number }>(
      'SELECT numbackends AS backends, sessions_abandoned::int AS abandoned FROM pg_stat_database WHERE datname = $1',
      [databaseName],
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

/** Waits until no connection to the database is left, then reports its abandoned sessions. */
async function abandonedSessionsOnceClosed(databaseName: string): Promise<number> {
  const sessions = await waitFor(
    async () => {
      const current = await sessionsOf(databaseName);
      return current.backends === 0 && current;
    },
    { description: `every connection to ${databaseName} to be closed`, timeoutMs: 10_000 },
  );
  return sessions.abandoned;
}

describe('the order-service bundle, run the way its image runs it', () => {
  const bundleDir = join(WORKSPACE_ROOT, 'dist/apps/order-service');
  const SHUTDOWN_LIMIT_MS = 15_000;
  let database: TestDatabase | undefined;
  let nats: PrivateNatsServer | undefined;
  let app: ChildProcess | undefined;
  const output: string[] = [];
  const recentOutput = () => output.join('').split('\n').slice(-30).join('\n');

  beforeAll(async () => {
    [database, nats] = await Promise.all([createTestDatabase('app_bundle_order'), startPrivateNatsServer()]);
  });

  afterAll(async () => {
    if (app?.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    await nats?.dispose();
    await database?.drop();
  });

  it('migrates a fresh database, becomes live and ready, and on SIGTERM closes its connections and exits within 15 s', async () => {
    if (!database || !nats) throw new Error('beforeAll did not provide the database and NATS');
    // Its configuration, migrate.js's too, requires the public key the gateway's caller tokens are verified with.
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const CALLER_TOKEN_PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const environment = { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: database.url, CALLER_TOKEN_PUBLIC_KEY };

    const migration = await promisify(execFile)(process.execPath, ['migrate.js'], { cwd: bundleDir, env: environment, timeout: 60_000 });
    expect(migration.stdout).toMatch(/^Applied migrations: /m);
    const abandonedBefore = await abandonedSessionsOnceClosed(database.name);

    const port = await freePort();
    const started = spawn(process.execPath, ['main.js'], {
      cwd: bundleDir,
      env: {
        ...environment,
        PORT: String(port),
        HOST: '127.0.0.1',
        NATS_URL: nats.url,
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        CALLER_TOKEN_PUBLIC_KEY: generateCallerTokenKeys().env.CALLER_TOKEN_PUBLIC_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app = started;
    started.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => started.once('exit', (code, signal) => resolve({ code, signal })));
    const died = new AbortController();
    void exited.then(({ code, signal }) => died.abort(new Error(`order-service exited (code ${code}, signal ${signal}) before it was ready:\n${recentOutput()}`)));

    const statusOf = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.status;
    };
    await waitFor(async () => (await statusOf('/health/ready')) === 200, {
      description: 'the order-service bundle to answer GET /health/ready with 200',
      timeoutMs: 45_000,
      signal: died.signal,
    });
    expect(await statusOf('/health/live')).toBe(200);

    started.kill('SIGTERM');
    const exit = await within(exited, SHUTDOWN_LIMIT_MS);
    // Once its shutdown hooks are done, Nest raises the signal again (exit code 0 with its
    // useProcessExit option); an error during shutdown exits with 1, a hang times out.
    // The exit and the app's last output are part of the received value, so that a failure shows them.
    const clean = exit !== 'timed out' && ((exit.code === 0 && exit.signal === null) || (exit.code === null && exit.signal === 'SIGTERM'));
    expect({ clean, exit, recentOutput: clean ? '' : recentOutput() }).toMatchObject({ clean: true, recentOutput: '' });
    // A process that died on the signal would leave its pooled connections abandoned; a graceful one closes them.
    expect(await abandonedSessionsOnceClosed(database.name)).toBe(abandonedBefore);
  }, 120_000);
});
