import { alreadyRunning, BackingService, errorMessage, freePort, probePostgres, ProcessLogs, redactUrl, STACK_LOG } from '@orders/local-processes';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface EnsurePostgresOptions {
  /** An explicitly configured admin URL (DATABASE_URL): it must be usable, nothing is started instead. */
  configuredUrl?: string;
  /** Where an embedded server keeps its data directory and password. */
  localDir: string;
  logs: ProcessLogs;
}

/**
 * Returns a Postgres admin (superuser) URL: the configured server, else the default
 * local one, else an embedded server started from the `embedded-postgres` package.
 */
export async function ensurePostgres({ configuredUrl, localDir, logs }: EnsurePostgresOptions): Promise<BackingService> {
  const url = configuredUrl ?? DEFAULT_DATABASE_URL;
  try {
    await probePostgres(url);
    return alreadyRunning(url);
  } catch (error) {
    if (configuredUrl !== undefined) {
      throw new Error(`DATABASE_URL is set to ${redactUrl(url)}, but that server does not accept connections (${errorMessage(error)}).`, {
        cause: error,
      });
    }
    logs.write(STACK_LOG, `No Postgres at ${url} (${errorMessage(error)}); starting an embedded one in ${join(localDir, 'postgres')}`);
  }
  const server = await startEmbeddedPostgres({
    dataDir: join(localDir, 'postgres'),
    passwordFile: join(localDir, 'postgres-password'),
    port: await freePort(),
    logs,
  });
  return { url: server.url, startedByStack: true, stop: server.stop };
}
