import { withPostgres } from '@orders/local-processes';
import { PrivatePostgres } from './private-postgres';

describe('the run’s own Postgres', () => {
  it('keeps its data across a restart, refusing connections while it is down', async () => {
    const postgres = await PrivatePostgres.start();
    try {
      await withPostgres(postgres.url, (client) => client.query('CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)'));
      const restarted = postgres.restart(1_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(withPostgres(postgres.url, (client) => client.query('SELECT 1'))).rejects.toThrow();
      await restarted;
      const { rows } = await withPostgres(postgres.url, (client) => client.query<{ id: number }>('SELECT id FROM kept'));
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await postgres.dispose();
    }
  }, 120_000);
});
