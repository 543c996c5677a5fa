import { postgresOptions, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { SERVICE_NAME } from '../config';
import { PaymentSchema1763683400000 } from './migrations/1763683400000-payment-schema';
import { PaymentCompensations1763683400001 } from './migrations/1763683400001-payment-compensations';

export const paymentDatabase = (url: string) =>
  postgresOptions({
    url,
    applicationName: SERVICE_NAME,
    entities: UNIT_OF_WORK_ENTITIES,
    migrations: [...UNIT_OF_WORK_MIGRATIONS, PaymentSchema1763683400000, PaymentCompensations1763683400001],
  });
