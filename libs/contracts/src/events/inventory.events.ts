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

/**
 * Units of an order went back on sale: its reservation EXPIRED unpaid, was released as a
 * COMPENSATION of a failed or cancelled saga, or its already sold units were RESTOCKED
 * after the customer cancelled. (RESTOCKED was added to v1 as a new value; every older
 * message stays valid.)
 */
export const InventoryReleased = defineEvent('inventory.released', {
  schema: z.object({
    orderId: z.uuid(),
    reservationId: z.uuid(),
    reason: z.enum(['EXPIRED', 'COMPENSATION', 'RESTOCKED']),
  }),
});

/**
 * An operator set how many units of a SKU can still be sold, replacing `previousAvailable`; its
 * reserved and committed units were not touched. Published only when the count changed.
 */
export const InventoryStockAdjusted = defineEvent('inventory.stock-adjusted', {
  schema: z.object({
    adjustmentId: z.uuid(),
    sku: skuSchema,
    previousAvailable: z.int().nonnegative(),
    available: z.int().nonnegative(),
    /** The operator's user id, from the caller token. */
    adjustedBy: z.string().min(1),
  }),
});
