import { withPostgres } from '@orders/local-processes';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DEFAULT_DATABASE_URL } from './postgres';
import { dropServiceDatabases, provisionServiceDatabases, serviceDatabaseName, SERVICES } from './service-databases';

const adminUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

async function adminQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return withPostgres(adminUrl, async (client) => (await client.query(sql, params)).rows as T[]);
}

async function canConnect(url: string): Promise<true> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.end();
  return true;
}

describe('provisionServiceDatabases', () => {
  const prefix = `t_stack_${randomBytes(3).toString('hex')}`;
  const names = SERVICES.map((service) => serviceDatabaseName(prefix, service));

  afterAll(async () => {
    await dropServiceDatabases(adminUrl, prefix);
  });

  it('gives every service a login role and a database owned by that role', async () => {
    const urls = await provisionServiceDatabases({ adminUrl, prefix, passwords: { payment: 'from-env' } });

    const databases = await adminQuery<{ datname: string; owner: string }>(
      `SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ANY($1) ORDER BY datname`,
      [names],
    );
    expect(databases).toEqual([...names].sort().map((name) => ({ datname: name, owner: name })));
    const roles = await adminQuery<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname = ANY($1) AND rolcanlogin`, [names]);
    expect(roles).toHaveLength(SERVICES.length);

    const paymentUrl = new URL(urls.payment);
    expect([paymentUrl.username, paymentUrl.password, paymentUrl.pathname]).toEqual([`${prefix}_payment`, 'from-env', `/${prefix}_payment`]);
    await expect(canConnect(urls.order)).resolves.toBe(true);
  });

  it('lets a service connect only to its own database', async () => {
    const privileges = await adminQuery<{ role: string; db: string; allowed: boolean }>(
      `SELECT r AS role, d AS db, has_database_privilege(r, d, 'CONNECT') AS allowed FROM unnest($1::text[]) r, unnest($1::text[]) d`,
      [names],
    );
    expect(privileges.filter((privilege) => privilege.allowed)).toEqual(names.map((name) => ({ role: name, db: name, allowed: true })));

    const urls = await provisionServiceDatabases({ adminUrl, prefix });
    const intruder = new URL(urls.order);
    intruder.pathname = `/${serviceDatabaseName(prefix, 'payment')}`;
    await expect(canConnect(intruder.toString())).rejects.toThrow(/permission denied/);
  });

  it('lets a service create its schema in its database', async () => {
    const urls = await provisionServiceDatabases({ adminUrl, prefix });
    const client = new Client({ connectionString: urls.inventory });
    await client.connect();
    try {
      await client.query('CREATE TABLE stock (sku text PRIMARY KEY, quantity int NOT NULL)');
      await client.query(`INSERT INTO stock VALUES ('SKU-TSHIRT', 3)`);
    } finally {
      await client.end();
    }
  });

  it('reuses existing roles and databases when run again', async () => {
    const before = await adminQuery<{ oid: number }>(`SELECT oid FROM pg_database WHERE datname = ANY($1) ORDER BY datname`, [names]);
    const urls = await provisionServiceDatabases({ adminUrl, prefix });
    const after = await adminQuery<{ oid: number }>(`SELECT oid FROM pg_database WHERE datname = ANY($1) ORDER BY datname`, [names]);
    expect(after).toEqual(before);
    const rows = await withPostgres(urls.inventory, async (client) => (await client.query('SELECT quantity FROM stock')).rows);
    expect(rows).toEqual([{ quantity: 3 }]);
  });

  it('drops the databases and roles on request', async () => {
    await dropServiceDatabases(adminUrl, prefix);
    expect(await adminQuery(`SELECT 1 FROM pg_database WHERE datname = ANY($1)`, [names])).toEqual([]);
    expect(await adminQuery(`SELECT 1 FROM pg_roles WHERE rolname = ANY($1)`, [names])).toEqual([]);
  });

  it('rejects a prefix that would not make a plain Postgres identifier', async () => {
    await expect(provisionServiceDatabases({ adminUrl, prefix: 'Orders-Dev' })).rejects.toThrow(/lower-case letters/);
  });
});
