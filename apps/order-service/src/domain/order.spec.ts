import { DomainError, Money } from '@orders/shared-kernel';
import { Order, OrderAlreadyCancelledError, OrderState } from './order';

const placedAt = new Date('2026-01-01T10:00:00.000Z');
const at = (seconds: number) => new Date(placedAt.getTime() + seconds * 1_000);
const total = Money.of(4998, 'EUR');

function place(): Order {
  return Order.place({
    id: 'order-1',
    customerId: 'alice',
    items: [{ sku: 'SKU-TSHIRT', quantity: 2 }],
    shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
    paymentToken: 'tok_visa',
    at: placedAt,
  });
}

function types(order: Order): string[] {
  return order.timeline.map((entry) => entry.type);
}

/** Runs the happy path up to (not including) the step named in `until`. */
function progressed(until?: 'PAYMENT_CAPTURED' | 'INVENTORY_COMMITTED'): Order {
  const order = place();
  order.recordStep('INVENTORY_RESERVED', at(1), total);
  order.recordStep('PAYMENT_AUTHORIZED', at(2));
  order.recordStep('SHIPMENT_SCHEDULED', at(3));
  if (until !== 'PAYMENT_CAPTURED') order.recordStep('PAYMENT_CAPTURED', at(4));
  return order;
}

describe('Order', () => {
  describe('placing', () => {
    it('starts PENDING with only ORDER_PLACED on the timeline and no total', () => {
      const order = place();
      expect(order.status).toBe('PENDING');
      expect(order.total).toBeNull();
      expect(order.cancellationReason).toBeNull();
      expect(order.timeline).toEqual([{ type: 'ORDER_PLACED', at: placedAt }]);
      expect(order.progress).toEqual({ INVENTORY_RESERVED: false, PAYMENT_AUTHORIZED: false, SHIPMENT_SCHEDULED: false, PAYMENT_CAPTURED: false, INVENTORY_COMMITTED: false });
      expect(order.createdAt).toEqual(placedAt);
      expect(order.updatedAt).toEqual(placedAt);
    });

    it.each([
      ['no items', { items: [] }, 'EMPTY_ORDER'],
      ['a zero quantity', { items: [{ sku: 'SKU-A', quantity: 0 }] }, 'INVALID_QUANTITY'],
      ['a fractional quantity', { items: [{ sku: 'SKU-A', quantity: 1.5 }] }, 'INVALID_QUANTITY'],
      ['no customer', { customerId: '' }, 'INVALID_ORDER'],
      ['no payment token', { paymentToken: '' }, 'INVALID_ORDER'],
    ])('refuses an order with %s', (_label, override, code) => {
      const input = {
        id: 'o',
        customerId: 'alice',
        items: [{ sku: 'SKU-A', quantity: 1 }],
        shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
        paymentToken: 'tok',
        at: placedAt,
        ...override,
      };
      expect(() => Order.place(input)).toThrow(expect.objectContaining({ code }));
    });
  });

  describe('saga steps', () => {
    it('records each step once, with its time, and keeps the order PENDING', () => {
      const order = place();
      expect(order.recordStep('INVENTORY_RESERVED', at(1), total)).toEqual({ kind: 'recorded' });
      expect(order.recordStep('PAYMENT_AUTHORIZED', at(2))).toEqual({ kind: 'recorded' });
      expect(order.recordStep('SHIPMENT_SCHEDULED', at(3))).toEqual({ kind: 'recorded' });
      expect(order.recordStep('PAYMENT_CAPTURED', at(4))).toEqual({ kind: 'recorded' });
      expect(order.status).toBe('PENDING');
      expect(order.total).toEqual(total);
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED', 'PAYMENT_CAPTURED']);
      expect(order.updatedAt).toEqual(at(4));
    });

    it('is confirmed once payment is captured and stock committed', () => {
      const order = progressed();
      expect(order.recordStep('INVENTORY_COMMITTED', at(5))).toEqual({ kind: 'confirmed', total });
      expect(order.status).toBe('CONFIRMED');
      expect(types(order)).toEqual([
        'ORDER_PLACED',
        'INVENTORY_RESERVED',
        'PAYMENT_AUTHORIZED',
        'SHIPMENT_SCHEDULED',
        'PAYMENT_CAPTURED',
        'INVENTORY_COMMITTED',
        'ORDER_CONFIRMED',
      ]);
      expect(order.timeline.at(-1)).toEqual({ type: 'ORDER_CONFIRMED', at: at(5) });
    });

    it('is confirmed whichever of capture and commit is reported last', () => {
      const order = progressed('PAYMENT_CAPTURED');
      expect(order.recordStep('INVENTORY_COMMITTED', at(5))).toEqual({ kind: 'recorded' });
      expect(order.status).toBe('PENDING');
      expect(order.recordStep('PAYMENT_CAPTURED', at(4))).toEqual({ kind: 'confirmed', total });
      expect(types(order).slice(-3)).toEqual(['PAYMENT_CAPTURED', 'INVENTORY_COMMITTED', 'ORDER_CONFIRMED']);
      expect(order.timeline.at(-1)?.at).toEqual(at(5));
    });

    it('waits for the reservation (and its total) before confirming', () => {
      const order = place();
      order.recordStep('PAYMENT_CAPTURED', at(4));
      expect(order.recordStep('INVENTORY_COMMITTED', at(5))).toEqual({ kind: 'recorded' });
      expect(order.status).toBe('PENDING');
      expect(order.recordStep('INVENTORY_RESERVED', at(1), total)).toEqual({ kind: 'confirmed', total });
      expect(order.total).toEqual(total);
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_CAPTURED', 'INVENTORY_COMMITTED', 'ORDER_CONFIRMED']);
      expect(order.timeline.at(-1)?.at).toEqual(at(5));
    });

    it('keeps the timeline sorted by time when steps are reported out of order', () => {
      const order = place();
      order.recordStep('SHIPMENT_SCHEDULED', at(3));
      order.recordStep('INVENTORY_RESERVED', at(1), total);
      order.recordStep('PAYMENT_AUTHORIZED', at(2));
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED']);
      expect(order.timeline.map((entry) => entry.at)).toEqual([placedAt, at(1), at(2), at(3)]);
      expect(order.updatedAt).toEqual(at(3));
    });

    it('keeps the reporting order of steps that happened at the same time', () => {
      const order = place();
      order.recordStep('PAYMENT_AUTHORIZED', at(1));
      order.recordStep('SHIPMENT_SCHEDULED', at(1));
      expect(types(order)).toEqual(['ORDER_PLACED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED']);
    });

    it('adds nothing for a repeated step', () => {
      const order = place();
      order.recordStep('INVENTORY_RESERVED', at(1), total);
      order.recordStep('PAYMENT_AUTHORIZED', at(2));
      const before = order.timeline;
      expect(order.recordStep('INVENTORY_RESERVED', at(9), total)).toEqual({ kind: 'duplicate' });
      expect(order.recordStep('PAYMENT_AUTHORIZED', at(9))).toEqual({ kind: 'duplicate' });
      expect(order.timeline).toEqual(before);
      expect(order.updatedAt).toEqual(at(2));
    });

    it('does not confirm twice', () => {
      const order = progressed();
      order.recordStep('INVENTORY_COMMITTED', at(5));
      expect(order.recordStep('INVENTORY_COMMITTED', at(6))).toEqual({ kind: 'duplicate' });
      expect(order.recordStep('PAYMENT_CAPTURED', at(6))).toEqual({ kind: 'duplicate' });
      expect(types(order).filter((type) => type === 'ORDER_CONFIRMED')).toHaveLength(1);
    });

    it('ignores a second reservation with a different total', () => {
      const order = place();
      order.recordStep('INVENTORY_RESERVED', at(1), total);
      const outcome = order.recordStep('INVENTORY_RESERVED', at(2), Money.of(1, 'EUR'));
      expect(outcome).toMatchObject({ kind: 'ignored' });
      expect(order.total).toEqual(total);
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED']);
    });

    it('takes the total with the reservation and with no other step', () => {
      const order = place();
      expect(() => order.recordStep('INVENTORY_RESERVED', at(1))).toThrow(DomainError);
      expect(() => order.recordStep('PAYMENT_AUTHORIZED', at(1), total)).toThrow(DomainError);
      expect(order.total).toBeNull();
      expect(types(order)).toEqual(['ORDER_PLACED']);
    });

    it('refuses a step without a valid time', () => {
      expect(() => place().recordStep('PAYMENT_AUTHORIZED', new Date('nope'))).toThrow(DomainError);
    });
  });

  describe('cancelling', () => {
    it('cancels a pending order with its reason', () => {
      const order = place();
      order.recordStep('INVENTORY_RESERVED', at(1), total);
      expect(order.cancel('PAYMENT_DECLINED', at(2))).toEqual({ kind: 'cancelled', reason: 'PAYMENT_DECLINED' });
      expect(order.status).toBe('CANCELLED');
      expect(order.cancellationReason).toBe('PAYMENT_DECLINED');
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'ORDER_CANCELLED']);
      expect(order.updatedAt).toEqual(at(2));
    });

    it('adds nothing when the same cancellation is reported again', () => {
      const order = place();
      order.cancel('OUT_OF_STOCK', at(1));
      expect(order.cancel('OUT_OF_STOCK', at(5))).toEqual({ kind: 'duplicate' });
      expect(types(order)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
    });

    it('keeps the first reason when cancelled again for another one', () => {
      const order = place();
      order.cancel('OUT_OF_STOCK', at(1));
      expect(order.cancel('PAYMENT_DECLINED', at(2))).toMatchObject({ kind: 'ignored' });
      expect(order.cancellationReason).toBe('OUT_OF_STOCK');
      expect(types(order)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
    });

    it('ignores saga steps reported after the cancellation', () => {
      const order = place();
      order.cancel('SHIPPING_UNAVAILABLE', at(3));
      expect(order.recordStep('INVENTORY_RESERVED', at(1), total)).toMatchObject({ kind: 'ignored' });
      expect(order.recordStep('PAYMENT_CAPTURED', at(4))).toMatchObject({ kind: 'ignored' });
      expect(order.recordStep('INVENTORY_COMMITTED', at(5))).toMatchObject({ kind: 'ignored' });
      expect(order.status).toBe('CANCELLED');
      expect(order.total).toBeNull();
      expect(types(order)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
    });

    it('cannot cancel a confirmed order', () => {
      const order = progressed();
      order.recordStep('INVENTORY_COMMITTED', at(5));
      expect(order.cancel('PAYMENT_DECLINED', at(6))).toMatchObject({ kind: 'ignored' });
      expect(order.status).toBe('CONFIRMED');
      expect(order.cancellationReason).toBeNull();
    });

    it('still records an earlier step reported after the confirmation, without confirming again', () => {
      const order = place();
      order.recordStep('INVENTORY_RESERVED', at(1), total);
      order.recordStep('PAYMENT_CAPTURED', at(4));
      order.recordStep('INVENTORY_COMMITTED', at(5));
      expect(order.recordStep('PAYMENT_AUTHORIZED', at(2))).toEqual({ kind: 'recorded' });
      expect(order.recordStep('PAYMENT_AUTHORIZED', at(2))).toEqual({ kind: 'duplicate' });
      expect(order.status).toBe('CONFIRMED');
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'PAYMENT_CAPTURED', 'INVENTORY_COMMITTED', 'ORDER_CONFIRMED']);
      expect(order.updatedAt).toEqual(at(5));
    });
  });

  describe('cancelling by the customer', () => {
    it('cancels a pending order CUSTOMER_CANCELLED', () => {
      const order = place();
      order.recordStep('INVENTORY_RESERVED', at(1), total);
      expect(order.cancelByCustomer(at(2))).toEqual({ kind: 'cancelled', reason: 'CUSTOMER_CANCELLED' });
      expect(order.status).toBe('CANCELLED');
      expect(order.cancellationReason).toBe('CUSTOMER_CANCELLED');
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'ORDER_CANCELLED']);
    });

    it('cancels a confirmed order, which the saga itself cannot', () => {
      const order = progressed();
      order.recordStep('INVENTORY_COMMITTED', at(5));
      expect(order.cancel('TIMED_OUT', at(6))).toMatchObject({ kind: 'ignored' });
      expect(order.cancelByCustomer(at(7))).toEqual({ kind: 'cancelled', reason: 'CUSTOMER_CANCELLED' });
      expect(order.status).toBe('CANCELLED');
      expect(order.total).toEqual(total);
      expect(order.timeline.slice(-2)).toEqual([
        { type: 'ORDER_CONFIRMED', at: at(5) },
        { type: 'ORDER_CANCELLED', at: at(7) },
      ]);
    });

    it('answers a repeated cancellation as a duplicate without a second entry', () => {
      const order = place();
      order.cancelByCustomer(at(1));
      expect(order.cancelByCustomer(at(2))).toEqual({ kind: 'duplicate' });
      expect(types(order)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
      expect(order.updatedAt).toEqual(at(1));
    });

    it('refuses an order the saga cancelled for another reason, keeping that reason', () => {
      const order = place();
      order.cancel('PAYMENT_DECLINED', at(1));
      expect(() => order.cancelByCustomer(at(2))).toThrow(OrderAlreadyCancelledError);
      expect(() => order.cancelByCustomer(at(2))).toThrow(expect.objectContaining({ code: 'ORDER_ALREADY_CANCELLED', cancellationReason: 'PAYMENT_DECLINED' }));
      expect(order.cancellationReason).toBe('PAYMENT_DECLINED');
      expect(types(order)).toEqual(['ORDER_PLACED', 'ORDER_CANCELLED']);
    });

    it('keeps the customer as the reason when the saga fails or times out afterwards', () => {
      const order = place();
      order.cancelByCustomer(at(1));
      expect(order.cancel('TIMED_OUT', at(2))).toMatchObject({ kind: 'ignored' });
      expect(order.recordStep('PAYMENT_AUTHORIZED', at(3))).toMatchObject({ kind: 'ignored' });
      expect(order.cancellationReason).toBe('CUSTOMER_CANCELLED');
    });
  });

  describe('compensations', () => {
    it('records each compensation once, in time order, without changing the status', () => {
      const order = place();
      order.recordStep('INVENTORY_RESERVED', at(1), total);
      order.cancel('PAYMENT_DECLINED', at(3));
      expect(order.recordCompensation('INVENTORY_RELEASED', at(2))).toEqual({ kind: 'recorded' });
      expect(order.recordCompensation('INVENTORY_RELEASED', at(4))).toEqual({ kind: 'duplicate' });
      expect(types(order)).toEqual(['ORDER_PLACED', 'INVENTORY_RESERVED', 'INVENTORY_RELEASED', 'ORDER_CANCELLED']);
      expect(order.status).toBe('CANCELLED');
      expect(order.cancellationReason).toBe('PAYMENT_DECLINED');
    });

    it('records a compensation that arrives before the order learns it is cancelled', () => {
      const order = place();
      expect(order.recordCompensation('INVENTORY_RELEASED', at(1))).toEqual({ kind: 'recorded' });
      expect(order.status).toBe('PENDING');
      expect(order.cancel('PAYMENT_DECLINED', at(2))).toEqual({ kind: 'cancelled', reason: 'PAYMENT_DECLINED' });
    });
  });

  describe('restoring', () => {
    const base = (): OrderState => {
      const order = place();
      return {
        id: order.id,
        customerId: order.customerId,
        items: order.items,
        shippingAddress: order.shippingAddress,
        paymentToken: order.paymentToken,
        status: order.status,
        total: order.total,
        cancellationReason: order.cancellationReason,
        timeline: order.timeline,
        progress: order.progress,
        createdAt: order.createdAt,
        updatedAt: order.updatedAt,
      };
    };

    it('continues where the stored order left off', () => {
      const stored = progressed();
      const order = Order.restore({ ...base(), progress: stored.progress, total: stored.total, timeline: stored.timeline });
      expect(order.recordStep('INVENTORY_COMMITTED', at(5))).toEqual({ kind: 'confirmed', total });
    });

    it('sorts a stored timeline', () => {
      const order = Order.restore({
        ...base(),
        timeline: [
          { type: 'PAYMENT_AUTHORIZED', at: at(2) },
          { type: 'ORDER_PLACED', at: placedAt },
        ],
      });
      expect(types(order)).toEqual(['ORDER_PLACED', 'PAYMENT_AUTHORIZED']);
    });

    it.each([
      ['a confirmed order without a total', { status: 'CONFIRMED' as const }],
      ['a cancelled order without a reason', { status: 'CANCELLED' as const }],
      ['a pending order with a cancellation reason', { cancellationReason: 'TIMED_OUT' as const }],
      ['a total without a reservation', { total }],
    ])('refuses %s', (_label, override) => {
      expect(() => Order.restore({ ...base(), ...override })).toThrow(DomainError);
    });
  });
});
