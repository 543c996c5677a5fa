import { postgresUrl, withPostgres } from '@orders/local-processes';
import { Client } from 'pg';
import { generateSecret } from './secrets';

export const SERVICES = ['order', 'inventory', 'payment', 'shipping'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function mapServices<T>(value: (service: ServiceName) => T): Record<ServiceName, T> {
  return Object.fromEntries(SERVICES.map((service) => [service, value(service)])) as Record<ServiceName, T>;
}

export const DEFAULT_DATABASE_PREFIX = 'orders';

// Lower-case identifiers never need quoting in psql sessions; 63 bytes is Postgres's limit.
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const MAX_IDENTIFIER_LENGTH = 63;

/** The name of both the service's login role and its database, e.g. "orders_payment". */
export function serviceDatabaseName(prefix: string, service: ServiceName): string {
  const name = `${prefix}_${service}`;
  if (!IDENTIFIER.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(`Database prefix "${prefix}" must be lower-case letters, digits and underscores, and short enough for "${name}" to fit 63 characters.`);
  }
  return name;
}

export interface ProvisionOptions {
  /** A superuser (or CREATEROLE + CREATEDB) connection to the server. */
  adminUrl: string;
  /** Servers of their own (superuser URLs) for some services' databases, instead of `adminUrl`. */
  serverOf?: Partial<Record<ServiceName, string>>;
  prefix?: string;
  /** Passwords to set; services without one get a fresh random password. */
  passwords?: Partial<Record<ServiceName, string>>;
}

/**
 * Gives every service its own login role and a database owned by it that no other
 * role may connect to, so a service cannot read or write another service's data.
 * Safe to run again: existing roles get the new password, existing databases are kept.
 * Returns each service's connection URL.
 */
export async function provisionServiceDatabases(options: ProvisionOptions): Promise<Record<ServiceName, string>> {
  const { prefix = DEFAULT_DATABASE_PREFIX, passwords = {} } = options;
  const servers = databaseServers(options.adminUrl, options.serverOf);
  const names = mapServices((service) => serviceDatabaseName(prefix, service));
  const credentials = mapServices((service) => passwords[service] ?? generateSecret());
  for (const [adminUrl, services] of servicesByServer(servers)) {
    await withPostgres(adminUrl, async (client) => {
      for (const service of services) await provisionOne(client, names[service], credentials[service]);
    });
  }
  return mapServices((service) => postgresUrl(servers[service], { user: names[service], password: credentials[service], database: names[service] }));
}

/** The server (a superuser URL) holding each service's database: `adminUrl`, unless `serverOf` names another. */
export function databaseServers(adminUrl: string, serverOf: Partial<Record<ServiceName, string>> = {}): Record<ServiceName, string> {
  return mapServices((service) => serverOf[service] ?? adminUrl);
}

function servicesByServer(servers: Record<ServiceName, string>): Map<string, ServiceName[]> {
  const byServer = new Map<string, ServiceName[]>();
  for (const service of SERVICES) byServer.set(servers[service], [...(byServer.get(servers[service]) ?? []), service]);
  return byServer;
}

async function provisionOne(client: Client, name: string, password: string): Promise<void> {
  const role = client.escapeIdentifier(name);
  const secret = client.escapeLiteral(password);
  const roleExists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1;
  await client.query(roleExists ? `ALTER ROLE ${role} WITH LOGIN PASSWORD ${secret}` : `CREATE ROLE ${role} WITH LOGIN PASSWORD ${secret}`);
  const databaseExists = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  // The role and the database share a name, so `role` is also the quoted database name.
  await client.query(databaseExists ? `ALTER DATABASE ${role} OWNER TO ${role}` : `CREATE DATABASE ${role} OWNER ${role}`);
  // Every role may connect to a new database through PUBLIC; only the owner may here.
  await client.query(`REVOKE CONNECT ON DATABASE ${role} FROM PUBLIC`);
  await client.query(`GRANT CONNECT ON DATABASE ${role} TO ${role}`);
}

/** Drops the services' databases (closing their connections) and roles, on the server holding each. */
export async function dropServiceDatabases(adminUrl: string, prefix = DEFAULT_DATABASE_PREFIX, serverOf?: Partial<Record<ServiceName, string>>): Promise<void> {
  for (const [server, services] of servicesByServer(databaseServers(adminUrl, serverOf))) {
    await withPostgres(server, async (client) => {
      for (const service of services) {
        const name = client.escapeIdentifier(serviceDatabaseName(prefix, service));
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP ROLE IF EXISTS ${name}`);
      }
    });
  }
}
