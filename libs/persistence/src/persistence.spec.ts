import { createTestDatabase, TestDatabase, waitFor } from '@orders/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DataSource, DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';
import { isUniqueViolation, MIGRATION_LOCK_KEY, postgresOptions, runMigrations } from './index';

class SlowTable1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT pg_sleep(0.3)`);
    await queryRunner.query(`CREATE TABLE slow (id int)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE slow`);
  }
}

class PeopleTable1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE people`);
  }
}

describe('persistence on real Postgres', () => {
  let database: TestDatabase;
  const options = () => postgresOptions({ url: database.url, applicationName: 'persistence-test', entities: [], migrations: [PeopleTable1700000000000] });

  beforeAll(async () => {
    database = await createTestDatabase('persistence');
  });
  afterAll(() => database?.drop());

  it('applies pending migrations once and never synchronizes the schema', async () => {
    expect(options()).toMatchObject({ synchronize: false, migrationsRun: false });
    expect(await runMigrations(options())).toEqual(['PeopleTable1700000000000']);
    expect(await runMigrations(options())).toEqual([]);
  });

  it('lets migrations started together take turns: each is applied once and none fails', async () => {
    const fresh = await createTestDatabase('persistence-together');
    try {
      const together = postgresOptions({ url: fresh.url, applicationName: 'persistence-test', entities: [], migrations: [SlowTable1700000000001] });
      const runs = await Promise.all([1, 2, 3, 4].map(() => runMigrations(together)));
      expect(runs.flat()).toEqual(['SlowTable1700000000001']);
    } finally {
      await fresh.drop();
    }
  });

  describe('while another run holds the migration lock', () => {
    const STATEMENT_TIMEOUT_MS = 300;
    let locked: TestDatabase;
    let holder: Client;
    // Statements time out quickly, so waiting for the lock longer than one statement may run is quick too.
    const quickStatements = (): DataSourceOptions => {
      const options = postgresOptions({ url: locked.url, applicationName: 'persistence-test', entities: [], migrations: [PeopleTable1700000000000] });
      return { ...options, extra: { ...options.extra, statement_timeout: STATEMENT_TIMEOUT_MS } } as DataSourceOptions;
    };
    const waitingForTheLock = async (): Promise<boolean> => {
      const { rows } = await holder.query<{ waiting: boolean }>(
        `SELECT count(*) > 0 AS waiting FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [MIGRATION_LOCK_KEY],
      );
      return rows[0].waiting;
    };

    beforeEach(async () => {
      locked = await createTestDatabase('persistence-locked');
      holder = new Client({ connectionString: locked.url });
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    });
    afterEach(async () => {
      await holder?.end();
      await locked?.drop();
    });

    it('waits past the statement timeout until the lock is released, then applies its migrations', async () => {
      const migrating = runMigrations(quickStatements()).catch((error: unknown) => error);
      await waitFor(waitingForTheLock, { description: 'the run to wait for the migration lock' });
      // The other run's migrations outlast a statement's timeout.
      await sleep(3 * STATEMENT_TIMEOUT_MS);
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect(await migrating).toEqual(['PeopleTable1700000000000']);
    });

    it('gives up once it has waited as long as it may, naming the lock', async () => {
      await expect(runMigrations(quickStatements(), 3 * STATEMENT_TIMEOUT_MS)).rejects.toThrow(/migration lock/);
    });
  });

  it('recognizes a unique violation, optionally by constraint name', async () => {
    const dataSource = await new DataSource(options()).initialize();
    try {
      await dataSource.query(`INSERT INTO people (email) VALUES ('ada@example.com')`);
      const error = await dataSource.query(`INSERT INTO people (email) VALUES ('ada@example.com')`).catch((caught: unknown) => caught);
      expect(isUniqueViolation(error)).toBe(true);
      expect(isUniqueViolation(error, 'people_email_key')).toBe(true);
      expect(isUniqueViolation(error, 'another_constraint')).toBe(false);
      expect(isUniqueViolation(new Error('boom'))).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});
