import { DataSource, DataSourceOptions } from 'typeorm';

/** Applies pending migrations and closes the connection; the entry point of each service's `migrate` script and Job. */
export async function runMigrations(options: DataSourceOptions): Promise<string[]> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
