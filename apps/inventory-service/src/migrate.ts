import { runMigrations } from '@orders/persistence';
import { inventoryConfig } from './config';
import { inventoryDatabase } from './infrastructure/database';

void runMigrations(inventoryDatabase(inventoryConfig().DATABASE_URL)).then((applied) => {
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
});
