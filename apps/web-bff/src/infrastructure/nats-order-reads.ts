import { Injectable } from '@nestjs/common';
import { GetOrder, GetPaymentByOrder, GetShipmentByOrder, ListProducts, OrderView, PaymentView, ProductDto, ShipmentView } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { UpstreamReads } from '@orders/upstream-reads';
import { OrderReads } from '../application/order-reads';

/** Reads the services' views over NATS request/reply. */
@Injectable()
export class NatsOrderReads extends OrderReads {
  constructor(private readonly upstream: UpstreamReads) {
    super();
  }

  getOrder(orderId: string, context: CallerContext): Promise<OrderView> {
    return this.upstream.read(GetOrder, { orderId }, context);
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
