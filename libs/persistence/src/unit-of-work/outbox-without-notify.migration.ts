import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox's NOTIFY trigger goes: the process that commits an event now publishes it at once,
 * and NOTIFY made every inserting transaction take one database-wide lock at its commit, so they
 * committed one at a time.
 */
export class OutboxWithoutNotify1765100000000 implements MigrationInterface {
  name = 'OutboxWithoutNotify1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_inserted ON outbox`);
    await queryRunner.query(`DROP FUNCTION outbox_notify`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }
}
