import { Transaction } from '@orders/persistence';

/** The order a customer's Idempotency-Key created, and a fingerprint of the request that created it. */
export interface IdempotencyRecord {
  customerId: string;
  key: string;
  requestHash: string;
  orderId: string;
}

/** The customer already used this key; the transaction that tried to use it again is lost. */
export class IdempotencyKeyConflict extends Error {
  constructor(customerId: string, key: string) {
    super(`Idempotency-Key "${key}" of ${customerId} is already taken`);
    this.name = 'IdempotencyKeyConflict';
  }
}

export abstract class IdempotencyKeyRepository {
  abstract find(customerId: string, key: string): Promise<IdempotencyRecord | null>;
  /**
   * Records the key, or throws IdempotencyKeyConflict when it is taken. A use of the
   * key that is not committed yet makes this wait for that transaction to finish.
   */
  abstract insert(tx: Transaction, record: IdempotencyRecord): Promise<void>;
  /** Forgets up to `limit` keys recorded before `cutoff`, oldest first; answers how many. Safe to run in every replica at once. */
  abstract deleteRecordedBefore(cutoff: Date, limit: number): Promise<number>;
}
