/** How long customers' Idempotency-Keys are kept, provided from configuration. */
export abstract class IdempotencySettings {
  /** A retry within this time gets the first answer again; after it, the key may be forgotten and used anew. */
  abstract readonly keyTtlMs: number;
  /** How often each replica forgets the keys older than that. */
  abstract readonly purgeIntervalMs: number;
}
