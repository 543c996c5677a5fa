import { databasePoolSize, migrationLockWaitMs, postgresOptions } from './postgres-options';

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
