import { Client } from 'pg';

const CONNECT_TIMEOUT_MS = 3_000;

/** Runs `work` with a connection to `url`, closing the connection afterwards. */
export async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Throws (with the driver's reason) unless `url` accepts a connection and a query. */
export async function probePostgres(url: string): Promise<void> {
  await withPostgres(url, (client) => client.query('SELECT 1'));
}

export interface ConnectionParts {
  database?: string;
  user?: string;
  password?: string;
}

/** `url` with some parts replaced, e.g. the admin URL turned into a service's URL. Query options are kept. */
export function postgresUrl(url: string, parts: ConnectionParts): string {
  const result = new URL(url);
  if (parts.user !== undefined) result.username = encodeURIComponent(parts.user);
  if (parts.password !== undefined) result.password = encodeURIComponent(parts.password);
  if (parts.database !== undefined) result.pathname = `/${encodeURIComponent(parts.database)}`;
  return result.toString();
}

/** `url` without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const result = new URL(url);
    if (result.password) result.password = '***';
    return result.toString();
  } catch {
    return '<unparseable URL>';
  }
}
