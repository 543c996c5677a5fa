import { SagaCancellationReason } from '@orders/contracts';
import { Order } from '../domain/order';

/**
 * Port: how sagas end (confirmed, or cancelled and why) and how long they took from
 * placement, and the placements refused before a saga began, for monitoring. Called after
 * the ending has been committed.
 */
export abstract class SagaOutcomes {
  abstract ended(order: Order, endedAt: Date): void;
  /** A placement refused because the platform was at capacity. */
  abstract refused(): void;
  /** The saga of an order the order database lost was cancelled for `reason` (docs/saga.md). */
  abstract lost(reason: SagaCancellationReason): void;
}
