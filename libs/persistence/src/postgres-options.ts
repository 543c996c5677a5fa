import { loadConfig, positiveIntSetting } from '@orders/config';
import { DataSourceOptions, MixedList } from 'typeorm';
import { z } from 'zod';

export interface PostgresConfig {
  url: string;
  applicationName: string;
  // TypeORM's own parameter types for entity and migration lists.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /** By default DATABASE_POOL_SIZE. */
  poolSize?: number;
}

/** DATABASE_POOL_SIZE: the most connections one process holds open to its database. */
export const postgresPoolConfigSchema = z.object({ DATABASE_POOL_SIZE: positiveIntSetting(10) });

export function databasePoolSize(env: NodeJS.ProcessEnv = process.env): number {
  return loadConfig(postgresPoolConfigSchema, env).DATABASE_POOL_SIZE;
}

/** MIGRATION_LOCK_WAIT_MS: how long a migration run waits for another pod's run to finish before failing. */
export const migrationLockConfigSchema = z.object({ MIGRATION_LOCK_WAIT_MS: positiveIntSetting(5 * 60_000) });

export function migrationLockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  return loadConfig(migrationLockConfigSchema, env).MIGRATION_LOCK_WAIT_MS;
}

/**
 * Settings every service uses for its own database. The schema is owned by
 * migrations only (never synchronized from entities), and connections are bounded
 * and fail fast so a slow database degrades readiness instead of piling up requests.
 */
export function postgresOptions(config: PostgresConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    applicationName: config.applicationName,
    entities: config.entities,
    migrations: config.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    poolSize: config.poolSize ?? databasePoolSize(),
    extra: {
      connectionTimeoutMillis: 5_000,
      statement_timeout: 10_000,
    },
  };
}
