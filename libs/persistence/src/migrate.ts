import { DataSource, DataSourceOptions } from 'typeorm';

/** Any constant works: advisory locks are per database, and each service has its own. */
const MIGRATION_LOCK_KEY = 73_140_201;

/**
 * Applies pending migrations and closes the connection; the entry point of each service's
 * `migrate` script. Pods of a rolling update start together and each runs it first, so
 * runs take turns under an advisory lock: the first applies, the others find nothing to do.
 */
export async function runMigrations(options: DataSourceOptions): Promise<string[]> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    // Releasing the connection's session ends the lock even if unlocking is never reached.
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
