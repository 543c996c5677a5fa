import { Order } from '../domain/order';

/**
 * Port: how sagas end (confirmed, or cancelled and why) and how long they took from
 * placement, for monitoring. Called after the ending has been committed.
 */
export abstract class SagaOutcomes {
  abstract ended(order: Order, endedAt: Date): void;
}
