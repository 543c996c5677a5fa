import { providerPolicyConfigSchema } from '@orders/resilience';
import { loadConfig } from '@orders/config';
import { serviceConfigSchema } from '@orders/service-runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'shipping-service';

export const shippingConfig = () =>
  loadConfig(
    serviceConfigSchema.extend({
      PORT: z.coerce.number().int().default(3013),
      CARRIER_URL: z.url().default('http://127.0.0.1:4011'),
      // PROVIDER_*: timeout, retries, breaker and bulkhead of the calls to the carrier.
      ...providerPolicyConfigSchema.shape,
    }),
  );
export type ShippingConfig = ReturnType<typeof shippingConfig>;
