import { createTestDatabase, TestDatabase } from '@orders/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { postgresOptions } from './postgres-options';

describe('connection limits on real Postgres', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let other: Client;

  beforeAll(async () => {
    database = await createTestDatabase('connection_limits');
    const env = { DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '500', DATABASE_QUERY_TIMEOUT_MS: '300' };
    dataSource = await new DataSource(postgresOptions({ url: database.url, applicationName: 'connection-limits', entities: [], migrations: [] }, env)).initialize();
    await dataSource.query(`CREATE TABLE claims (id int PRIMARY KEY)`);
    await dataSource.query(`INSERT INTO claims VALUES (1)`);
    other = new Client({ connectionString: database.url });
    await other.connect();
  });

  afterAll(async () => {
    await other?.end();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('ends a transaction whose client stopped sending (a frozen or cut-off process), so its row locks no longer block others', async () => {
    const frozen = dataSource.createQueryRunner();
    await frozen.connect();
    await frozen.startTransaction();
    await frozen.query(`SELECT id FROM claims WHERE id = 1 FOR UPDATE`);

    // Without the limit the lock stays until the client comes back, and this statement gives up.
    await other.query(`SET lock_timeout = '10s'`);
    await expect(other.query(`SELECT id FROM claims WHERE id = 1 FOR UPDATE`)).resolves.toMatchObject({ rowCount: 1 });
    await frozen.release();
  });

  it('stops waiting for an answer that does not come', async () => {
    await expect(dataSource.query(`SELECT pg_sleep(5)`)).rejects.toThrow(/timeout/i);
  });
});
