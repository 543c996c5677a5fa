import { runMigrations } from '@orders/persistence';
import { paymentConfig } from './config';
import { paymentDatabase } from './infrastructure/database';

void runMigrations(paymentDatabase(paymentConfig().DATABASE_URL)).then((applied) => {
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');
});
