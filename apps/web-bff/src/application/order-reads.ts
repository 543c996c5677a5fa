import { OrderView, PaymentView, ProductDto, ShipmentView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';

/** Reads of the services' views; each rejects with a ReadFailure when it cannot be answered. */
export abstract class OrderReads {
  /** The caller's own order; NOT_FOUND as well when it belongs to someone else. */
  abstract getOrder(orderId: string, context: CallerContext): Promise<OrderView>;
  /** NOT_FOUND until payment-service has heard of the order. */
  abstract getPayment(orderId: string, context: CallerContext): Promise<PaymentView>;
  /** NOT_FOUND until shipping-service has heard of the order. */
  abstract getShipment(orderId: string, context: CallerContext): Promise<ShipmentView>;
  abstract listProducts(skus: readonly string[], context: CallerContext): Promise<ProductDto[]>;
}
