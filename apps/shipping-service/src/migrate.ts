import { runMigrations } from '@orders/persistence';
import { shippingConfig } from './config';
import { shippingDatabase } from './infrastructure/database';

void runMigrations(shippingDatabase(shippingConfig().DATABASE_URL)).then((applied) => {
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
});
