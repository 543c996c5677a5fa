import { postgresOptions, UNIT_OF_WORK_ENTITIES, UNIT_OF_WORK_MIGRATIONS } from '@orders/persistence';
import { SERVICE_NAME } from '../config';
import { InventorySchema1763683300000 } from './migrations/1763683300000-inventory-schema';
import { DemoCatalogue1763683300001 } from './migrations/1763683300001-demo-catalogue';
import { RestockedReservations1763683300002 } from './migrations/1763683300002-restocked-reservations';
import { StockAdjustments1763683300003 } from './migrations/1763683300003-stock-adjustments';

export const inventoryDatabase = (url: string) =>
  postgresOptions({
    url,
    applicationName: SERVICE_NAME,
    entities: [...UNIT_OF_WORK_ENTITIES],
    migrations: [...UNIT_OF_WORK_MIGRATIONS, InventorySchema1763683300000, DemoCatalogue1763683300001, RestockedReservations1763683300002, StockAdjustments1763683300003],
  });
