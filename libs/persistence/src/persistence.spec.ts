import { createTestDatabase, TestDatabase } from '@orders/testing';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { isUniqueViolation, postgresOptions, runMigrations } from './index';

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
