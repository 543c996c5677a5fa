import { Injectable, Logger } from '@nestjs/common';
import { OrderDetailsDto, OrderView, ProductDto } from '@orders/contracts';
import { CallerContext } from '@orders/service-runtime';
import { OrderReads, ReadFailure } from '@orders/upstream-reads';
import { OrderPartReads } from '../order-part-reads';

type OptionalPart = OrderDetailsDto['degraded'][number];

/**
 * Reads an order together with its payment, shipment and products, all at once. Only the
 * order is essential: its failure fails the request. Any other part that cannot be read is
 * null and listed in `degraded`; a payment or shipment that does not exist yet is just null.
 */
@Injectable()
export class GetOrderDetailsHandler {
  private readonly logger = new Logger(GetOrderDetailsHandler.name);

  constructor(
    private readonly orders: OrderReads,
    private readonly parts: OrderPartReads,
  ) {}

  async execute(orderId: string, context: CallerContext): Promise<OrderDetailsDto> {
    const order = this.orders.getOrder(orderId, context);
    const [orderResult, payment, shipment, products] = await Promise.allSettled([
      order,
      this.parts.getPayment(orderId, context),
      this.parts.getShipment(orderId, context),
      order.then((view) => this.productsOf(view, context)),
    ]);
    if (orderResult.status === 'rejected') throw orderResult.reason;

    const degraded: OptionalPart[] = [];
    const valueOf = <T>(part: OptionalPart, result: PromiseSettledResult<T>, absentIsNormal: boolean): T | null => {
      if (result.status === 'fulfilled') return result.value;
      if (absentIsNormal && result.reason instanceof ReadFailure && result.reason.reason === 'NOT_FOUND') return null;
      this.logger.warn(`Order ${orderId}: ${part} unavailable: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
      degraded.push(part);
      return null;
    };
    return {
      order: orderResult.value,
      payment: valueOf('payment', payment, true),
      shipment: valueOf('shipment', shipment, true),
      products: valueOf('products', products, false),
      degraded,
    };
  }

  private async productsOf(order: OrderView, context: CallerContext): Promise<ProductDto[]> {
    const skus = [...new Set(order.items.map((item) => item.sku))];
    return skus.length === 0 ? [] : this.parts.listProducts(skus, context);
  }
}
