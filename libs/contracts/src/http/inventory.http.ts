import { z } from 'zod';

// The operators' stock API, called through the gateway, which asks inventory-service for it over
// NATS (SetAvailable). Both sides validate with these schemas; the OpenAPI document is generated from them.

/** The most units of one SKU an operator may put on sale at once: a larger count is a typo, not a delivery. */
export const MAX_AVAILABLE_UNITS = 1_000_000;

/** Body of setting a SKU's stock; unknown fields are refused rather than silently dropped. */
export const setAvailableBodySchema = z.strictObject({
  available: z
    .int()
    .min(0)
    .max(MAX_AVAILABLE_UNITS)
    .meta({ description: `How many units can still be sold, 0-${MAX_AVAILABLE_UNITS}. Units already reserved for or sold to orders are not counted and not changed.` }),
});
export type SetAvailableBody = z.infer<typeof setAvailableBodySchema>;
