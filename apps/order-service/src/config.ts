import { loadConfig } from '@orders/config';
import { serviceConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'order-service';

export const orderConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    serviceConfigSchema.extend({
      PORT: z.coerce.number().int().default(3010),
      /** An order still PENDING this long after it was placed is cancelled TIMED_OUT. */
      SAGA_TIMEOUT_MS: z.coerce
        .number()
        .int()
        .positive()
        .default(5 * 60_000),
      SAGA_WATCHDOG_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
      /** Admission control: running sagas at most before new orders are refused with 503 and Retry-After. */
      ADMISSION_MAX_SAGAS_IN_FLIGHT: z.coerce.number().int().positive().default(50),
      /** Only sagas placed within this window count as running; older PENDING ones are stuck, the watchdog's business. */
      ADMISSION_WINDOW_MS: z.coerce.number().int().positive().default(60_000),
      /** How long a customer's Idempotency-Key is kept: a retry within it gets the first answer again. */
      IDEMPOTENCY_KEY_TTL_MS: z.coerce
        .number()
        .int()
        .positive()
        .default(24 * 60 * 60_000),
      IDEMPOTENCY_PURGE_INTERVAL_MS: z.coerce
        .number()
        .int()
        .positive()
        .default(10 * 60_000),
    }),
    env,
  );
export type OrderConfig = ReturnType<typeof orderConfig>;
