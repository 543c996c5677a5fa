/** Superuser connection used to create throw-away test databases. */
export function adminDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The NATS server tests share; tests that stop a broker start a private one instead. */
export function sharedNatsUrl(): string {
  return process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
}
