import { postgresOptions, runMigrations, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { createTestDatabase } from '@orders/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

export interface PostgresLimit {
  /** Commits per second at each concurrency tried. */
  byConcurrency: Array<{ concurrency: number; commitsPerSecond: number }>;
  best: { concurrency: number; commitsPerSecond: number };
}

/**
 * The most saga-step transactions Postgres commits per second on this machine: each
 * claims the message in the real inbox table, writes a business row and inserts into
 * the real outbox table, as one transaction,
 * with the server's default durability (synchronous commit). Raw `pg`, no ORM: the limit.
 */
export async function measurePostgresLimit(options: { concurrencies: number[]; secondsEach: number }): Promise<PostgresLimit> {
  const database = await createTestDatabase('bench_raw_postgres');
  try {
    // The services' own migration run: the same tables, and migrations that run outside a transaction allowed.
    await runMigrations(postgresOptions({ url: database.url, applicationName: 'bench-raw-postgres', entities: [], migrations: UNIT_OF_WORK_MIGRATIONS }));
    const pool = new Pool({ connectionString: database.url, max: 1 });
    await pool.query(`CREATE TABLE business_rows (id uuid PRIMARY KEY, status text NOT NULL, data jsonb NOT NULL, updated_at timestamptz NOT NULL)`);
    await pool.end();

    const byConcurrency: PostgresLimit['byConcurrency'] = [];
    for (const concurrency of options.concurrencies) {
      byConcurrency.push({ concurrency, commitsPerSecond: await commitsPerSecond(database.url, concurrency, options.secondsEach) });
    }
    const best = byConcurrency.reduce((a, b) => (b.commitsPerSecond > a.commitsPerSecond ? b : a));
    return { byConcurrency, best };
  } finally {
    await database.drop();
  }
}

async function commitsPerSecond(url: string, concurrency: number, seconds: number): Promise<number> {
  const pool = new Pool({ connectionString: url, max: concurrency });
  // An idle connection closed by the server (e.g. someone terminated it) would otherwise crash the process.
  let broken: Error | undefined;
  pool.on('error', (error) => (broken = error));
  try {
    // Every connection opened before the clock starts.
    await Promise.all(Array.from({ length: concurrency }, () => sagaStep(pool)));
    let commits = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          await sagaStep(pool);
          commits += 1;
        }
      }),
    );
    if (broken) throw new Error(`A connection broke during the measurement: ${broken.message}`);
    return Math.round(commits / ((performance.now() - started) / 1000));
  } finally {
    await pool.end();
  }
}

async function sagaStep(pool: Pool): Promise<void> {
  const client = await pool.connect();
  const orderId = randomUUID();
  const event = { id: randomUUID(), type: 'bench.step', version: 1, data: { orderId, amount: { amount: 1999, currency: 'EUR' } } };
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`, ['bench-consumer', randomUUID()]);
    await client.query(`INSERT INTO business_rows (id, status, data, updated_at) VALUES ($1, 'RESERVED', $2, now())`, [orderId, JSON.stringify(event.data)]);
    await client.query(`INSERT INTO outbox (id, subject, payload, headers) VALUES ($1, $2, $3, $4)`, [event.id, 'bench.step.v1', JSON.stringify(event), '{}']);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
