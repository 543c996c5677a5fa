import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { moneySchema, pricedLineSchema, skuSchema } from '../primitives';

export const InventoryReserved = defineEvent('inventory.reserved', {
  schema: z.object({
    orderId: z.uuid(),
    reservationId: z.uuid(),
    lines: z.array(pricedLineSchema).min(1),
    total: moneySchema,
    expiresAt: z.iso.datetime({ offset: true }),
  }),
});

export const InventoryRejected = defineEvent('inventory.rejected', {
  schema: z.object({
    orderId: z.uuid(),
    reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_SKU']),
    skus: z.array(skuSchema),
  }),
});

export const InventoryCommitted = defineEvent('inventory.committed', {
  schema: z.object({ orderId: z.uuid(), reservationId: z.uuid() }),
});

export const InventoryReleased = defineEvent('inventory.released', {
  schema: z.object({
    orderId: z.uuid(),
    reservationId: z.uuid(),
    reason: z.enum(['EXPIRED', 'COMPENSATION']),
  }),
});
