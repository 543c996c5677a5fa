import { PaymentView, ProductDto, ShipmentView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';

/**
 * Reads of what an order page shows besides the order itself (order-service's views are read
 * through OrderReads); each rejects with a ReadFailure when it cannot be answered.
 */
export abstract class OrderPartReads {
  /** NOT_FOUND until payment-service has heard of the order. */
  abstract getPayment(orderId: string, context: CallerContext): Promise<PaymentView>;
  /** NOT_FOUND until shipping-service has heard of the order. */
  abstract getShipment(orderId: string, context: CallerContext): Promise<ShipmentView>;
  abstract listProducts(skus: readonly string[], context: CallerContext): Promise<ProductDto[]>;
}
