/** Tunables of the inventory use cases, provided from configuration. */
export abstract class InventorySettings {
  abstract readonly reservationTtlMs: number;
  abstract readonly expirySweepIntervalMs: number;
}
