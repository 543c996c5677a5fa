import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions, QueryRunner } from 'typeorm';
import { migrationLockWaitMs } from './postgres-options';

/** Any constant works: advisory locks are per database, and each service has its own. */
export const MIGRATION_LOCK_KEY = 73_140_201;

const logger = new Logger('Migrations');

/** SQLSTATE lock_not_available: lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Applies pending migrations and closes the connection; the entry point of each service's
 * `migrate` script. Pods of a rolling update start together and each runs it first, so
 * runs take turns under an advisory lock: the first applies, the others find nothing to do.
 * A run waits up to `lockWaitMs` (MIGRATION_LOCK_WAIT_MS) for the one ahead of it.
 */
export async function runMigrations(options: DataSourceOptions, lockWaitMs = migrationLockWaitMs()): Promise<string[]> {
  // Waiting for another run's lock, or building an index CONCURRENTLY, outlasts any statement's
  // answer the services wait for; those statements lift the server's statement timeout themselves.
  const dataSource = new DataSource({ ...options, extra: { ...options.extra, query_timeout: undefined } } as DataSourceOptions);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await takeMigrationLock(lock, lockWaitMs);
    const applied = await dataSource.runMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    // Releasing the connection's session ends the lock even if unlocking is never reached.
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

async function takeMigrationLock(lock: QueryRunner, waitMs: number): Promise<void> {
  const [{ taken }]: Array<{ taken: boolean }> = await lock.query('SELECT pg_try_advisory_lock($1) AS taken', [MIGRATION_LOCK_KEY]);
  if (taken) return;
  logger.log(`Another run is applying migrations; waiting up to ${waitMs} ms for it to finish`);
  // The wait lasts as long as the other run's migrations, longer than any one statement may: the
  // lock timeout bounds it instead, on this connection only, so the migrations' statements keep theirs.
  await lock.query(`SELECT set_config('statement_timeout', '0', false), set_config('lock_timeout', $1, false)`, [String(waitMs)]);
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code !== LOCK_NOT_AVAILABLE) throw error;
    throw new Error(`Gave up after waiting ${waitMs} ms for the migration lock (MIGRATION_LOCK_WAIT_MS): another run is still applying migrations`, { cause: error });
  }
  logger.log('Took the migration lock');
}
