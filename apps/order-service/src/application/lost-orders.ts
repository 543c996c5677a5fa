import { SagaCancellationReason } from '@orders/contracts';
import { Transaction } from '@orders/persistence';

/**
 * The reason `order.cancelled` gives for a lost order: its saga can no longer end, which the
 * participants undo like a missed deadline; the contract has no reason of its own for it.
 */
export const LOST_ORDER_CANCELLATION_REASON: SagaCancellationReason = 'TIMED_OUT';

/** Persistence port: which lost orders were settled already, so each is settled once however many events report it. */
export abstract class LostOrders {
  /** Records the order as settled in the caller's transaction; false when it was settled before. */
  abstract markSettled(tx: Transaction, orderId: string): Promise<boolean>;
}
