import { OrderPage, OrderView, PaymentView, ProductDto, ShipmentView } from '@orders/contracts';
import { Deadline } from '@orders/request-context';
import { CallerContext } from '@orders/service-runtime';
import { OrderReads, ReadFailure } from '@orders/upstream-reads';
import { OrderPartReads } from '../order-part-reads';
import { GetOrderDetailsHandler } from './get-order-details.handler';

const context: CallerContext = { userId: 'alice', roles: ['customer'], token: 'caller-token', requestId: 'req-1', correlationId: 'req-1', deadline: Deadline.after(5_000) };
const orderId = '6f1d1c52-3c1a-4d8e-9f57-2b1f0b7f5b11';
const order: OrderView = {
  orderId,
  customerId: 'alice',
  status: 'PENDING',
  items: [{ sku: 'SKU-MUG', quantity: 1 }],
  total: null,
  cancellationReason: null,
  timeline: [],
  createdAt: '2025-11-20T10:00:00.000Z',
  updatedAt: '2025-11-20T10:00:00.000Z',
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

class RecordingOrders extends OrderReads {
  readonly order = deferred<OrderView>();
  constructor(private readonly calls: string[]) {
    super();
  }
  getOrder(): Promise<OrderView> {
    this.calls.push('order');
    return this.order.promise;
  }
  listOrders(): Promise<OrderPage> {
    throw new Error('an order page reads one order');
  }
}

class RecordingParts extends OrderPartReads {
  constructor(private readonly calls: string[]) {
    super();
  }
  async getPayment(): Promise<PaymentView> {
    this.calls.push('payment');
    throw new ReadFailure('NOT_FOUND', 'no payment yet');
  }
  async getShipment(): Promise<ShipmentView> {
    this.calls.push('shipment');
    throw new ReadFailure('UNAVAILABLE', 'no responders');
  }
  async listProducts(skus: readonly string[]): Promise<ProductDto[]> {
    this.calls.push(`products:${skus.join(',')}`);
    return [];
  }
}

/** Both kinds of reads, recording every call in one list so their order shows. */
function recordingReads() {
  const calls: string[] = [];
  const orders = new RecordingOrders(calls);
  return { calls, orders, handler: new GetOrderDetailsHandler(orders, new RecordingParts(calls)) };
}

describe('GetOrderDetailsHandler', () => {
  it('asks for payment and shipment without waiting for the order, and for products once the order is known', async () => {
    const { calls, orders, handler } = recordingReads();
    const details = handler.execute(orderId, context);
    await Promise.resolve();
    expect(calls).toEqual(['order', 'payment', 'shipment']);

    orders.order.resolve(order);
    expect(await details).toEqual({ order, payment: null, shipment: null, products: [], degraded: ['shipment'] });
    expect(calls).toContain('products:SKU-MUG');
  });

  it('fails with the order’s failure', async () => {
    const { calls, orders, handler } = recordingReads();
    const details = handler.execute(orderId, context);
    const failure = new ReadFailure('NOT_FOUND', 'no such order');
    orders.order.reject(failure);
    await expect(details).rejects.toBe(failure);
    expect(calls.some((call) => call.startsWith('products'))).toBe(false);
  });
});
