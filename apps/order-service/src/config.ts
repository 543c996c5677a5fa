import { loadConfig, serviceConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'order-service';

export const orderConfig = () =>
  loadConfig(
    serviceConfigSchema.extend({
      PORT: z.coerce.number().int().default(3010),
    }),
  );
export type OrderConfig = ReturnType<typeof orderConfig>;
