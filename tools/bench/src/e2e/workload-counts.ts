import { withPostgres } from '@orders/local-processes';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsServers } from '@orders/config';
import { STREAMS } from '@orders/contracts';
import { RunningStack, SERVICES } from '@orders/local-stack';

/** Running totals of the work the platform did, read from Postgres and JetStream. */
export interface WorkloadCounts {
  /** Transactions committed in the services' databases (read-only ones included). */
  commits: number;
  /**
   * Transactions that wrote, server-wide: each takes a transaction id, read-only ones do not.
   * Counts the platform's writes as long as nothing else writes to the server meanwhile.
   */
  writeTransactions: number;
  /** Events handled inside a transaction (one inbox row each). */
  inboxRows: number;
  /** Events stored in the event streams. */
  eventsPublished: number;
  /** Deliveries to the services' durable consumers (redeliveries included). */
  deliveries: number;
}

export type PerOrder = { [K in keyof WorkloadCounts]: number };

export async function countWorkload(stack: RunningStack): Promise<WorkloadCounts> {
  const databaseNames = await Promise.all(
    SERVICES.map((service) =>
      withPostgres(stack.databaseUrls[service], async (client) => (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0].name),
    ),
  );
  const { commits, writeTransactions } = await withPostgres(stack.adminDatabaseUrl, async (client) => {
    const { rows } = await client.query<{ commits: string; next_xid: string }>(
      `SELECT (SELECT sum(xact_commit) FROM pg_stat_database WHERE datname = ANY($1)) AS commits, pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid`,
      [databaseNames],
    );
    return { commits: Number(rows[0].commits), writeTransactions: Number(rows[0].next_xid) };
  });
  let inboxRows = 0;
  for (const service of SERVICES) {
    inboxRows += await withPostgres(stack.databaseUrls[service], async (client) => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM inbox')).rows[0].n));
  }
  const connection = await connect({ servers: natsServers(stack.natsUrl) });
  try {
    const manager = await jetstreamManager(connection);
    let eventsPublished = 0;
    let deliveries = 0;
    for (const stream of STREAMS) {
      eventsPublished += (await manager.streams.info(stream.name)).state.messages;
      for await (const consumer of manager.consumers.list(stream.name)) deliveries += consumer.delivered.consumer_seq;
    }
    return { commits, writeTransactions, inboxRows, eventsPublished, deliveries };
  } finally {
    await connection.close();
  }
}

/** What one order cost, between two readings that `orders` orders fall between. */
export function perOrder(before: WorkloadCounts, after: WorkloadCounts, orders: number): PerOrder {
  const each = (key: keyof WorkloadCounts) => Math.round(((after[key] - before[key]) / orders) * 100) / 100;
  return {
    commits: each('commits'),
    writeTransactions: each('writeTransactions'),
    inboxRows: each('inboxRows'),
    eventsPublished: each('eventsPublished'),
    deliveries: each('deliveries'),
  };
}
