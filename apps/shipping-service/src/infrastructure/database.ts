import { postgresOptions, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { SERVICE_NAME } from '../config';
import { ShippingSchema1763683500000 } from './migrations/1763683500000-shipping-schema';
import { ShipmentCancellations1763683500001 } from './migrations/1763683500001-shipment-cancellations';

export const shippingDatabase = (url: string) =>
  postgresOptions({
    url,
    applicationName: SERVICE_NAME,
    entities: [...UNIT_OF_WORK_ENTITIES],
    migrations: [...UNIT_OF_WORK_MIGRATIONS, ShippingSchema1763683500000, ShipmentCancellations1763683500001],
  });
