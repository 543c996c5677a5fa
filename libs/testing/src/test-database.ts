import { postgresUrl, withPostgres } from '@orders/local-processes';
import { randomBytes } from 'node:crypto';
import { adminDatabaseUrl } from './environment';

export interface TestDatabase {
  name: string;
  url: string;
  /** Closes every connection to the database, then drops it. */
  drop(): Promise<void>;
}

// Leaves room for the "t_" prefix and the random suffix within Postgres's 63-byte names.
const MAX_LABEL_LENGTH = 40;

/** Creates an empty database with a unique name (e.g. "t_orders_1f2e3d4c") on the admin server. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = adminDatabaseUrl();
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, MAX_LABEL_LENGTH);
  const name = `t_${slug}_${randomBytes(4).toString('hex')}`;
  await withPostgres(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return {
    name,
    url: postgresUrl(adminUrl, { database: name }),
    drop: async () => {
      // FORCE terminates the sessions still connected (e.g. a pool a failed test left open).
      await withPostgres(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}
