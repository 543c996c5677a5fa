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

/** The server cancels a statement that runs longer than this. */
const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * How long a connection may keep something waiting, so that a process that freezes or is cut off
 * from its database holds no locks and no caller for long:
 * - DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS (30 s): the server ends a session whose open
 *   transaction has waited that long for its client's next statement, and with it the
 *   transaction's locks.
 * - DATABASE_QUERY_TIMEOUT_MS (15 s): the client stops waiting for a statement's answer. The
 *   server cancels statements after 10 s itself, so this only ends a wait on a server or a
 *   network that went silent.
 * - DATABASE_KEEPALIVE_IDLE_MS (10 s): TCP keepalive probes start after that long without
 *   traffic, so a connection to a server that is gone breaks instead of waiting forever.
 */
export const postgresConnectionLimitsConfigSchema = z.object({
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveIntSetting(30_000),
  DATABASE_QUERY_TIMEOUT_MS: positiveIntSetting(STATEMENT_TIMEOUT_MS + 5_000),
  DATABASE_KEEPALIVE_IDLE_MS: positiveIntSetting(10_000),
});

/** The pg pool's settings for them. */
export function postgresConnectionLimits(env: NodeJS.ProcessEnv = process.env): Record<string, number | boolean> {
  const limits = loadConfig(postgresConnectionLimitsConfigSchema, env);
  return {
    statement_timeout: STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: limits.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    query_timeout: limits.DATABASE_QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: limits.DATABASE_KEEPALIVE_IDLE_MS,
  };
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
export function postgresOptions(config: PostgresConfig, env: NodeJS.ProcessEnv = process.env): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    applicationName: config.applicationName,
    entities: config.entities,
    migrations: config.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    poolSize: config.poolSize ?? databasePoolSize(env),
    extra: {
      connectionTimeoutMillis: 5_000,
      ...postgresConnectionLimits(env),
    },
  };
}
