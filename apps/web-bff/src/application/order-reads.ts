import { OrderView, PaymentView, ProductDto, ShipmentView } from '@orders/contracts';
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

/** Reads of the services' views; each rejects with a ReadFailure when it cannot be answered. */
export abstract class OrderReads {
  /** The caller's own order; NOT_FOUND as well when it belongs to someone else. */
  abstract getOrder(orderId: string, context: RequestContext): Promise<OrderView>;
  /** NOT_FOUND until payment-service has heard of the order. */
  abstract getPayment(orderId: string, context: RequestContext): Promise<PaymentView>;
  /** NOT_FOUND until shipping-service has heard of the order. */
  abstract getShipment(orderId: string, context: RequestContext): Promise<ShipmentView>;
  abstract listProducts(skus: readonly string[], context: RequestContext): Promise<ProductDto[]>;
}
