import { createTestDatabase, TestDatabase } from '@orders/testing';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { isUniqueViolation, postgresOptions, runMigrations } from './index';

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
