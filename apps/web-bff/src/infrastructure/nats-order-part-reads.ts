import { Injectable } from '@nestjs/common';
import { GetPaymentByOrder, GetShipmentByOrder, ListProducts, PaymentView, ProductDto, ShipmentView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { UpstreamReads } from '@orders/upstream-reads';
import { OrderPartReads } from '../application/order-part-reads';

/** Reads payment-service's, shipping-service's and inventory-service's views over NATS request/reply. */
@Injectable()
export class NatsOrderPartReads extends OrderPartReads {
  constructor(private readonly upstream: UpstreamReads) {
    super();
  }

  getPayment(orderId: string, context: CallerContext): Promise<PaymentView> {
    return this.upstream.read(GetPaymentByOrder, { orderId }, context);
  }

  getShipment(orderId: string, context: CallerContext): Promise<ShipmentView> {
    return this.upstream.read(GetShipmentByOrder, { orderId }, context);
  }

  async listProducts(skus: readonly string[], context: CallerContext): Promise<ProductDto[]> {
    return (await this.upstream.read(ListProducts, { skus: [...skus] }, context)).products;
  }
}
