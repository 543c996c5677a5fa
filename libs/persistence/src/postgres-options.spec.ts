import { databasePoolSize, postgresOptions } from './postgres-options';

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
