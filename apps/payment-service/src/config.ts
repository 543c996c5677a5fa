import { providerPolicyConfigSchema } from '@orders/resilience';
import { loadConfig } from '@orders/config';
import { serviceConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'payment-service';

export const paymentConfig = () =>
  loadConfig(
    serviceConfigSchema.extend({
      PORT: z.coerce.number().int().default(3012),
      PAYMENT_PROVIDER_URL: z.url().default('http://127.0.0.1:4010'),
      // PROVIDER_*: timeout, retries, breaker and bulkhead of the calls to the payment provider.
      ...providerPolicyConfigSchema.shape,
    }),
  );
export type PaymentConfig = ReturnType<typeof paymentConfig>;
