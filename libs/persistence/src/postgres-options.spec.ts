import { databasePoolSize, migrationLockWaitMs, postgresConnectionLimits, postgresOptions } from './postgres-options';

describe('database pool size from the environment', () => {
  it('is 10 unless DATABASE_POOL_SIZE says otherwise', () => {
    expect(databasePoolSize({})).toBe(10);
    expect(databasePoolSize({ DATABASE_POOL_SIZE: '4' })).toBe(4);
  });

  it('refuses a size that is not a whole number above zero, naming DATABASE_POOL_SIZE', () => {
    for (const value of ['0', 'ten', '2.5']) expect(() => databasePoolSize({ DATABASE_POOL_SIZE: value })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('gives way to a pool size the caller chose', () => {
    expect(postgresOptions({ url: 'postgres://127.0.0.1/db', applicationName: 'spec', entities: [], migrations: [], poolSize: 2 }).poolSize).toBe(2);
  });
});

describe('how long a migration run waits for another, from the environment', () => {
  it('is 5 minutes unless MIGRATION_LOCK_WAIT_MS says otherwise', () => {
    expect(migrationLockWaitMs({})).toBe(300_000);
    expect(migrationLockWaitMs({ MIGRATION_LOCK_WAIT_MS: '60000' })).toBe(60_000);
  });

  it('refuses a wait that is not a whole number of milliseconds above zero, naming MIGRATION_LOCK_WAIT_MS', () => {
    for (const value of ['0', 'soon', '1.5']) expect(() => migrationLockWaitMs({ MIGRATION_LOCK_WAIT_MS: value })).toThrow(/MIGRATION_LOCK_WAIT_MS/);
  });
});

describe('connection limits from the environment', () => {
  it('ends idle transactions after 30 s, stops waiting for an answer after 15 s and probes idle connections after 10 s unless told otherwise', () => {
    expect(postgresConnectionLimits({})).toEqual({
      statement_timeout: 10_000,
      idle_in_transaction_session_timeout: 30_000,
      query_timeout: 15_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    expect(postgresConnectionLimits({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000', DATABASE_QUERY_TIMEOUT_MS: '20000', DATABASE_KEEPALIVE_IDLE_MS: '5000' })).toMatchObject({
      idle_in_transaction_session_timeout: 60_000,
      query_timeout: 20_000,
      keepAliveInitialDelayMillis: 5_000,
    });
  });

  it('refuses a limit that is not a whole number of milliseconds above zero, naming the setting', () => {
    for (const name of ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', 'DATABASE_QUERY_TIMEOUT_MS', 'DATABASE_KEEPALIVE_IDLE_MS']) {
      expect(() => postgresConnectionLimits({ [name]: '0' })).toThrow(new RegExp(name));
    }
  });

  it('hands them to the pool of every data source', () => {
    expect(postgresOptions({ url: 'postgres://127.0.0.1/db', applicationName: 'spec', entities: [], migrations: [] }, {}).extra).toMatchObject({
      idle_in_transaction_session_timeout: 30_000,
      query_timeout: 15_000,
      keepAlive: true,
    });
  });
});
