import { runMigrations } from '@orders/persistence';
import { orderConfig } from './config';
import { orderDatabase } from './infrastructure/database';

void runMigrations(orderDatabase(orderConfig().DATABASE_URL)).then((applied) => {
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
});
