import { Client } from 'pg';
import { createTestDatabase } from './index';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('creates a uniquely named, usable database and drops it even while connections are open', async () => {
    const [first, second] = await Promise.all([createTestDatabase('Orders API'), createTestDatabase('Orders API')]);
    try {
      expect(first.name).toMatch(/^t_orders_api_[0-9a-f]{8}$/);
      expect(second.name).not.toBe(first.name);
      expect(await query<{ db: string }>(first.url, 'SELECT current_database() AS db')).toEqual([{ db: first.name }]);

      const lingering = new Client({ connectionString: first.url });
      await lingering.connect();
      lingering.on('error', () => undefined); // dropping the database terminates this session
      await first.drop();
      await lingering.end().catch(() => undefined);

      await expect(query(first.url, 'SELECT 1')).rejects.toThrow(/does not exist/);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
  });
});
