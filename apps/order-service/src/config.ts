import { loadConfig } from '@orders/config';
import { consumerConfigSchema, serviceConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'order-service';

export const orderConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    serviceConfigSchema
      .extend({
        PORT: z.coerce.number().int().default(3010),
        /** An order still PENDING this long after it was placed is cancelled TIMED_OUT. */
        SAGA_TIMEOUT_MS: z.coerce
          .number()
          .int()
          .positive()
          .default(5 * 60_000),
        SAGA_WATCHDOG_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
        /**
         * How long an event about an order this database does not have waits for the order before
         * the order counts as lost (docs/saga.md). Its consumer redelivers it meanwhile as waiting for
         * a preceding event, which it allows only for CONSUMER_PRECEDING_EVENT_WAIT_MS.
         */
        LOST_ORDER_WAIT_MS: z.coerce.number().int().positive().default(60_000),
        CONSUMER_PRECEDING_EVENT_WAIT_MS: consumerConfigSchema.shape.CONSUMER_PRECEDING_EVENT_WAIT_MS,
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
      })
      .refine((config) => config.LOST_ORDER_WAIT_MS < config.CONSUMER_PRECEDING_EVENT_WAIT_MS, {
        path: ['LOST_ORDER_WAIT_MS'],
        message: 'LOST_ORDER_WAIT_MS must be shorter than CONSUMER_PRECEDING_EVENT_WAIT_MS, or the events of a lost order are dead-lettered before it is settled',
      }),
    env,
  );
export type OrderConfig = ReturnType<typeof orderConfig>;
