import { orderOf, OrderRequest } from '../support/platform';
import { integerBetween, pick, pickWeighted, Random } from './random';

/**
 * What a chaos client does with one Idempotency-Key. Every kind but the duplicates
 * sends its request once (retrying it with the same key when the outcome is unknown).
 */
export const MIX_KINDS = ['normal', 'declined', 'unsupported-destination', 'out-of-stock', 'cancel-early', 'cancel-late', 'duplicate-sequential', 'duplicate-concurrent'] as const;
export type MixKind = (typeof MIX_KINDS)[number];

export const MIX_WEIGHTS: Readonly<Record<MixKind, number>> = {
  normal: 40,
  declined: 10,
  'unsupported-destination': 10,
  'out-of-stock': 10,
  'cancel-early': 8,
  'cancel-late': 8,
  'duplicate-sequential': 7,
  'duplicate-concurrent': 7,
};

/** SKUs stocked far beyond what a run can sell, so only the scarce one ever runs out. */
export const PLENTIFUL_SKUS = ['SKU-TSHIRT', 'SKU-HOODIE', 'SKU-MUG', 'SKU-CAP', 'SKU-STICKERS'] as const;
export const PLENTIFUL_STOCK = 1_000_000;
export const SCARCE_SKU = 'SKU-LIMITED';
/** A country the carrier does not deliver to: the shipment fails and the order is cancelled. */
export const UNSUPPORTED_COUNTRY = 'AQ';
export const DECLINED_TOKEN = 'tok_declined';

export interface PlannedOrder {
  kind: MixKind;
  body: OrderRequest;
  /** Sent twice with the same key: one after the other, or both at once. */
  duplicate?: 'sequential' | 'concurrent';
  /** The customer cancels this long after the order was accepted. */
  cancelAfterMs?: number;
}

export function chooseKind(random: Random): MixKind {
  return pickWeighted(random, MIX_WEIGHTS);
}

export function planOrder(kind: MixKind, random: Random): PlannedOrder {
  const plentiful = () => orderOf(plentifulItems(random));
  switch (kind) {
    case 'normal':
      return { kind, body: plentiful() };
    case 'declined':
      return { kind, body: orderOf(plentifulItems(random), { paymentToken: DECLINED_TOKEN }) };
    case 'unsupported-destination':
      return { kind, body: orderOf(plentifulItems(random), { country: UNSUPPORTED_COUNTRY }) };
    case 'out-of-stock':
      return { kind, body: orderOf([{ sku: SCARCE_SKU, quantity: integerBetween(random, 1, 2) }]) };
    case 'cancel-early':
      // Usually while the saga is still running.
      return { kind, body: plentiful(), cancelAfterMs: integerBetween(random, 0, 300) };
    case 'cancel-late':
      // Usually once the order is confirmed: a refund and a restock.
      return { kind, body: plentiful(), cancelAfterMs: integerBetween(random, 2_000, 8_000) };
    case 'duplicate-sequential':
      return { kind, body: plentiful(), duplicate: 'sequential' };
    case 'duplicate-concurrent':
      return { kind, body: plentiful(), duplicate: 'concurrent' };
  }
}

/** One to three lines of distinct plentiful SKUs, one to three units each. */
function plentifulItems(random: Random): OrderRequest['items'] {
  const skus = new Set<string>();
  const lines = integerBetween(random, 1, 3);
  while (skus.size < lines) skus.add(pick(random, PLENTIFUL_SKUS));
  return [...skus].map((sku) => ({ sku, quantity: integerBetween(random, 1, 3) }));
}
