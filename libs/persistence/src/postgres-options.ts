import { DataSourceOptions, MixedList } from 'typeorm';

export interface PostgresConfig {
  url: string;
  applicationName: string;
  // TypeORM's own parameter types for entity and migration lists.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  poolSize?: number;
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
    poolSize: config.poolSize ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    extra: {
      connectionTimeoutMillis: 5_000,
      statement_timeout: 10_000,
    },
  };
}
