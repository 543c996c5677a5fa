import { loadConfig } from '@orders/config';
import { serviceConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'inventory-service';

export const inventoryConfig = () =>
  loadConfig(
    serviceConfigSchema.extend({
      PORT: z.coerce.number().int().default(3011),
      RESERVATION_TTL_MS: z.coerce
        .number()
        .int()
        .positive()
        .default(10 * 60_000),
      /** How often each replica releases the reservations that expired. */
      RESERVATION_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(15_000),
    }),
  );
export type InventoryConfig = ReturnType<typeof inventoryConfig>;
