import { freePort, ManagedProcess, probePostgres, ProcessLogs, waitFor, withPostgres } from '@orders/local-processes';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathExists } from './files';
import { typeScriptProcess } from './typescript-process';

const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');
const FIXTURE = 'tools/local-stack/test/embedded-postgres.fixture.ts';

describe('startEmbeddedPostgres', () => {
  let root: string;
  let dataDir: string;
  let passwordFile: string;
  let fixture: ManagedProcess | undefined;
  const logs = new ProcessLogs('capture');

  /** Starts the fixture and returns the superuser URL it reports. */
  async function start(): Promise<string> {
    const port = await freePort();
    fixture = new ManagedProcess(
      typeScriptProcess('embedded', REPOSITORY_ROOT, FIXTURE, { ...process.env, PG_DATA_DIR: dataDir, PG_PASSWORD_FILE: passwordFile, PG_PORT: String(port) }),
      logs,
    );
    const running = fixture;
    const seen = logs.of('embedded').length;
    running.start();
    const line = await waitFor(
      () =>
        logs
          .of('embedded')
          .slice(seen)
          .find((entry) => entry.startsWith('ready ')),
      {
        description: 'the embedded Postgres to report ready',
        timeoutMs: 90_000,
      },
    ).catch(async (error: unknown) => {
      await running.stop();
      throw new Error(`${String(error)}\n${logs.of('embedded').join('\n')}`, { cause: error });
    });
    expect(logs.of('embedded').slice(seen)).toContain('SIGTERM listeners: 0');
    return line.slice('ready '.length);
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'embedded-postgres-'));
    // When tests run as root, Postgres runs as the "postgres" OS user, which must reach the data directory.
    await chmod(root, 0o755);
    dataDir = join(root, 'data');
    passwordFile = join(root, 'secrets', 'postgres-password');
  });

  afterAll(async () => {
    await fixture?.stop();
    // A fixture that died abruptly leaves its Postgres behind; its pid is in postmaster.pid.
    const pidFile = join(dataDir, 'postmaster.pid');
    if (await pathExists(pidFile)) process.kill(Number((await readFile(pidFile, 'utf8')).split('\n')[0]), 'SIGINT');
    await rm(root, { recursive: true, force: true });
  });

  it('initialises a cluster, serves queries, and stops on request', async () => {
    const url = await start();
    expect(new URL(url).password).toBe((await readFile(passwordFile, 'utf8')).trim());
    const version = await withPostgres(url, async (client) => {
      await client.query('CREATE TABLE kept (value text)');
      await client.query(`INSERT INTO kept VALUES ('survives restarts')`);
      return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    });
    expect(version).toMatch(/^\d+/);

    expect(await fixture?.stop('SIGTERM', 30_000)).toEqual({ code: 0, signal: null });
    await expect(probePostgres(url)).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);

  it('starts again from the same data directory and password', async () => {
    const url = await start();
    const rows = await withPostgres(url, async (client) => (await client.query('SELECT value FROM kept')).rows);
    expect(rows).toEqual([{ value: 'survives restarts' }]);
    expect(await fixture?.stop('SIGTERM', 30_000)).toEqual({ code: 0, signal: null });
  }, 120_000);
});
