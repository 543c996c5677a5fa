import { describeExit, describeTail, ManagedProcess, ProcessLogs } from '@orders/local-processes';
import { SERVICES, ServiceName } from './service-databases';
import { migrationEntryPointOf } from './stack-topology';
import { typeScriptProcess } from './typescript-process';

export interface MigrationOptions {
  rootDir: string;
  databaseUrls: Record<ServiceName, string>;
  /** Environment every migration process starts from; DATABASE_URL is set per service. */
  env: NodeJS.ProcessEnv;
  logs: ProcessLogs;
}

export function migrationLogName(service: ServiceName): string {
  return `${service}-migrations`;
}

/** Brings every service's schema up to date, all services at once; reports every failure. */
export async function runMigrations(options: MigrationOptions): Promise<void> {
  const results = await Promise.allSettled(SERVICES.map((service) => migrate(service, options)));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
  if (failures.length > 0) throw new AggregateError(failures, failures.map((failure) => failure.message).join('\n\n'));
}

async function migrate(service: ServiceName, { rootDir, databaseUrls, env, logs }: MigrationOptions): Promise<void> {
  const name = migrationLogName(service);
  const migration = new ManagedProcess(typeScriptProcess(name, rootDir, migrationEntryPointOf(service), { ...env, DATABASE_URL: databaseUrls[service] }), logs);
  migration.start();
  const exit = await migration.waitForExit();
  if (exit?.code !== 0) {
    throw new Error(`Migrating the ${service} database failed (${exit ? describeExit(exit) : 'did not run'}).\n${describeTail(logs, name)}`);
  }
}
