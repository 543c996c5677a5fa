import { freePort, ManagedProcess, probePostgres, ProcessLogs } from '@orders/local-processes';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

const LOG_NAME = 'chaos-postgres';
/** Fourteen app processes with their pools, the migrations and the run's own looks, with room to spare. */
const MAX_CONNECTIONS = 300;
const READY_TIMEOUT_MS = 60_000;
/** Postgres refuses to run as root; as root (in a container) it runs as the system's "postgres" user. */
const OS_USER = 'postgres';
const runsAsRoot = process.getuid?.() === 0;

/** `command` as the Postgres OS user when this process is root; setpriv execs it, so signals reach Postgres itself. */
function asPostgresUser(command: string, args: string[]): { command: string; args: string[] } {
  return runsAsRoot ? { command: 'setpriv', args: [`--reuid=${OS_USER}`, `--regid=${OS_USER}`, '--init-groups', '--', command, ...args] } : { command, args };
}

/**
 * A Postgres server of the run's own (the system's binaries, a throw-away cluster with trust
 * authentication on loopback), holding the services' databases, so that the run can restart it
 * without touching the shared server on 127.0.0.1:5432 that other suites use.
 */
export class PrivatePostgres {
  readonly logs = new ProcessLogs('capture');
  readonly url: string;
  private readonly server: ManagedProcess;

  private constructor(
    private readonly root: string,
    port: number,
  ) {
    this.url = `postgres://${OS_USER}@127.0.0.1:${port}/postgres`;
    const serve = asPostgresUser('postgres', [
      '-D',
      join(root, 'data'),
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${MAX_CONNECTIONS}`,
    ]);
    this.server = new ManagedProcess({ name: LOG_NAME, ...serve }, this.logs);
  }

  static async start(): Promise<PrivatePostgres> {
    const root = await mkdtemp(join(tmpdir(), 'chaos-postgres-'));
    const postgres = new PrivatePostgres(root, await freePort());
    try {
      if (runsAsRoot) await run('chown', [`${OS_USER}:`, root]);
      const initdb = asPostgresUser('initdb', ['-D', join(root, 'data'), '-U', OS_USER, '--auth=trust', '-E', 'UTF8', '--no-sync']);
      await run(initdb.command, initdb.args);
      await postgres.serve();
    } catch (error) {
      await postgres.dispose();
      throw error;
    }
    return postgres;
  }

  /** Stops the server (a fast shutdown: every connection dies), keeps it down for `downtimeMs` and starts it again on the same port and data. */
  async restart(downtimeMs: number): Promise<void> {
    await this.server.stop('SIGINT');
    await sleep(downtimeMs);
    await this.serve();
  }

  async dispose(): Promise<void> {
    await this.server.stop('SIGINT');
    await rm(this.root, { recursive: true, force: true });
  }

  private async serve(): Promise<void> {
    this.server.start();
    // waitFor wants a truthy answer; probePostgres answers nothing, or throws.
    const accepts = async () => {
      await probePostgres(this.url);
      return true;
    };
    await this.server.waitUntilReady(accepts, { description: `the run's Postgres to accept connections (${this.url})`, timeoutMs: READY_TIMEOUT_MS });
  }
}
