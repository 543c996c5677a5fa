import { OrderView, PaymentView, ProductDto, ShipmentView } from '@orders/contracts';
import { Deadline } from '@orders/messaging';
import { CallerContext } from '@orders/service-runtime';
import { ReadFailure } from '@orders/upstream-reads';
import { OrderReads } from '../order-reads';
import { GetOrderDetailsHandler } from './get-order-details.handler';

const context: CallerContext = { userId: 'alice', token: 'caller-token', requestId: 'req-1', correlationId: 'req-1', deadline: Deadline.after(5_000) };
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

class RecordingReads extends OrderReads {
  readonly calls: string[] = [];
  readonly order = deferred<OrderView>();
  getOrder(): Promise<OrderView> {
    this.calls.push('order');
    return this.order.promise;
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

describe('GetOrderDetailsHandler', () => {
  it('asks for payment and shipment without waiting for the order, and for products once the order is known', async () => {
    const reads = new RecordingReads();
    const details = new GetOrderDetailsHandler(reads).execute(orderId, context);
    await Promise.resolve();
    expect(reads.calls).toEqual(['order', 'payment', 'shipment']);

    reads.order.resolve(order);
    expect(await details).toEqual({ order, payment: null, shipment: null, products: [], degraded: ['shipment'] });
    expect(reads.calls).toContain('products:SKU-MUG');
  });

  it('fails with the order’s failure', async () => {
    const reads = new RecordingReads();
    const details = new GetOrderDetailsHandler(reads).execute(orderId, context);
    const failure = new ReadFailure('NOT_FOUND', 'no such order');
    reads.order.reject(failure);
    await expect(details).rejects.toBe(failure);
    expect(reads.calls.some((call) => call.startsWith('products'))).toBe(false);
  });
});
