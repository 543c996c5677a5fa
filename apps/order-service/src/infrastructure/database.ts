import { postgresOptions, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { SERVICE_NAME } from '../config';
import { OrderSchema1763683250000 } from './migrations/1763683250000-order-schema';
import { PendingOrdersByAge1763683250001 } from './migrations/1763683250001-pending-orders-by-age';
import { IdempotencyKeysByAge1763683250002 } from './migrations/1763683250002-idempotency-keys-by-age';
import { OrderReadModel1763683250003 } from './migrations/1763683250003-order-read-model';
import { OrderViewsFollowEveryWriter1763683250004 } from './migrations/1763683250004-order-views-follow-every-writer';
import { PendingOrderViewsByAge1763683250005 } from './migrations/1763683250005-pending-order-views-by-age';

export const orderDatabase = (url: string) =>
  postgresOptions({
    url,
    applicationName: SERVICE_NAME,
    entities: [...UNIT_OF_WORK_ENTITIES],
    migrations: [
      ...UNIT_OF_WORK_MIGRATIONS,
      OrderSchema1763683250000,
      PendingOrdersByAge1763683250001,
      IdempotencyKeysByAge1763683250002,
      OrderReadModel1763683250003,
      OrderViewsFollowEveryWriter1763683250004,
      PendingOrderViewsByAge1763683250005,
    ],
  });
