import { OrderView } from '@orders/contracts';
import { runningSagaOf } from './running-saga';

const PLACED_AT = '2026-12-07T10:00:00.000Z';
const order = (timeline: OrderView['timeline']): OrderView => ({
  orderId: '6f1c1a7e-8a57-4a57-9d5e-0f8f0f5d1b11',
  customerId: 'customer-1',
  status: 'PENDING',
  items: [{ sku: 'SKU-TSHIRT', quantity: 1 }],
  total: null,
  cancellationReason: null,
  timeline,
  createdAt: PLACED_AT,
  updatedAt: PLACED_AT,
});
const at = (type: string) => ({ type, at: PLACED_AT });

describe('a running saga', () => {
  it('is as old as the time since its order was placed and due the saga timeout after it', () => {
    const saga = runningSagaOf(order([at('ORDER_PLACED')]), new Date('2026-12-07T10:01:30.000Z'), 300_000);

    expect(saga).toEqual({
      orderId: '6f1c1a7e-8a57-4a57-9d5e-0f8f0f5d1b11',
      customerId: 'customer-1',
      placedAt: PLACED_AT,
      ageMs: 90_000,
      deadline: '2026-12-07T10:05:00.000Z',
      waitingFor: 'INVENTORY_RESERVED',
    });
  });

  it.each([
    [['ORDER_PLACED', 'INVENTORY_RESERVED'], 'PAYMENT_AUTHORIZED'],
    [['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED'], 'PAYMENT_CAPTURED'],
    // Participants report concurrently, so a later step can be on the timeline before an earlier one.
    [['ORDER_PLACED', 'PAYMENT_AUTHORIZED'], 'INVENTORY_RESERVED'],
    [['ORDER_PLACED', 'INVENTORY_RESERVED', 'PAYMENT_AUTHORIZED', 'SHIPMENT_SCHEDULED', 'PAYMENT_CAPTURED', 'INVENTORY_COMMITTED'], null],
  ])('after %j waits for %s', (entries, waitingFor) => {
    expect(runningSagaOf(order(entries.map(at)), new Date(PLACED_AT), 300_000).waitingFor).toBe(waitingFor);
  });
});
