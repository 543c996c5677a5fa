import { QueryRunner } from 'typeorm';

/**
 * Builds an index CONCURRENTLY, so services keep writing the table meanwhile, and without the
 * statement timeout, as a table kept since its start takes a while to index. The migration runs
 * outside a transaction (`transaction = false`), which CONCURRENTLY needs.
 */
export async function createIndexConcurrently(queryRunner: QueryRunner, name: string, definition: string): Promise<void> {
  await queryRunner.query(`SET statement_timeout = 0`);
  try {
    // A build that failed half-way leaves an invalid index behind, which the next run replaces.
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY ${name} ON ${definition}`);
  } finally {
    await queryRunner.query(`RESET statement_timeout`);
  }
}
