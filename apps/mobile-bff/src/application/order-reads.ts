import { OrderPage, OrderView } from '@orders/contracts';
import { RequestContext } from './request-context';

export type ReadFailureReason = 'NOT_FOUND' | 'TIMEOUT' | 'UNAVAILABLE';

/** A read that found nothing, took too long or could not be answered. */
export class ReadFailure extends Error {
  constructor(
    readonly reason: ReadFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'ReadFailure';
  }
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Reads of order-service's views; each rejects with a ReadFailure when it cannot be answered. */
export abstract class OrderReads {
  /** The caller's own order; NOT_FOUND as well when it belongs to someone else. */
  abstract getOrder(orderId: string, context: RequestContext): Promise<OrderView>;
  /** The caller's orders, newest first, one page at a time. */
  abstract listOrders(page: PageRequest, context: RequestContext): Promise<OrderPage>;
}
