import { runMigrations } from '@orders/persistence';
import { databaseUrl } from '@orders/service-runtime';
import { inventoryDatabase } from './infrastructure/database';

void runMigrations(inventoryDatabase(databaseUrl())).then((applied) => {
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
});
