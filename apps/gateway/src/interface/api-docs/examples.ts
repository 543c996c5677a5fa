import type { OrderDetailsDto, OrderSummaryDto, OrderView, PlaceOrderBody, ProductDto, StockLevelDto } from '@orders/contracts';
import type { DeadLetter, DeadLetterPage, DeadLetterSummary, ReplayedDeadLetter } from '@orders/messaging';
import type { BusState } from '../../application/bus-admin';
import type { ServicesState } from '../../application/service-status-admin';

// Example requests and answers shown in the OpenAPI document; each is checked against its
// schema when the document is built.

export const EXAMPLE_ORDER_ID = '0b8e4c52-8a3f-4f53-9d7a-6f1e2c9b7a10';

const tshirt: ProductDto = { sku: 'SKU-TSHIRT', name: 'Organic cotton T-shirt', price: { amount: 1999, currency: 'EUR' }, available: 998 };
const mug: ProductDto = { sku: 'SKU-MUG', name: 'Enamel mug', price: { amount: 1250, currency: 'EUR' }, available: 1999 };

export const productsExample = { products: [tshirt, mug] };

export const stockLevelExample: StockLevelDto = { sku: 'SKU-MUG', available: 2500, reserved: 3, committed: 40 };

export const placeOrderExample: PlaceOrderBody = {
  items: [
    { sku: 'SKU-TSHIRT', quantity: 2 },
    { sku: 'SKU-MUG', quantity: 1 },
  ],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};

export const confirmedOrderExample: OrderView = {
  orderId: EXAMPLE_ORDER_ID,
  customerId: 'alice',
  status: 'CONFIRMED',
  items: placeOrderExample.items,
  total: { amount: 5248, currency: 'EUR' },
  cancellationReason: null,
  timeline: [
    { type: 'ORDER_PLACED', at: '2025-11-21T10:15:00.120Z' },
    { type: 'INVENTORY_RESERVED', at: '2025-11-21T10:15:00.180Z' },
    { type: 'PAYMENT_AUTHORIZED', at: '2025-11-21T10:15:00.410Z' },
    { type: 'SHIPMENT_SCHEDULED', at: '2025-11-21T10:15:00.650Z' },
    { type: 'PAYMENT_CAPTURED', at: '2025-11-21T10:15:00.890Z' },
    { type: 'INVENTORY_COMMITTED', at: '2025-11-21T10:15:00.930Z' },
    { type: 'ORDER_CONFIRMED', at: '2025-11-21T10:15:00.930Z' },
  ],
  createdAt: '2025-11-21T10:15:00.120Z',
  updatedAt: '2025-11-21T10:15:00.930Z',
};

export const declinedOrderExample: OrderView = {
  ...confirmedOrderExample,
  status: 'CANCELLED',
  total: { amount: 5248, currency: 'EUR' },
  cancellationReason: 'PAYMENT_DECLINED',
  timeline: [
    { type: 'ORDER_PLACED', at: '2025-11-21T10:15:00.120Z' },
    { type: 'INVENTORY_RESERVED', at: '2025-11-21T10:15:00.180Z' },
    { type: 'ORDER_CANCELLED', at: '2025-11-21T10:15:00.400Z' },
    { type: 'INVENTORY_RELEASED', at: '2025-11-21T10:15:00.520Z' },
  ],
  updatedAt: '2025-11-21T10:15:00.520Z',
};

/** The examples of an answer with one order. */
export const orderViewExamples = {
  confirmed: { summary: 'Confirmed', value: confirmedOrderExample },
  declined: { summary: 'Cancelled: payment declined', value: declinedOrderExample },
};

export const orderDetailsExample: OrderDetailsDto = {
  order: confirmedOrderExample,
  payment: {
    paymentId: '3d1f6a9e-4b7c-4e2a-8f5d-9c0b1a2e3f47',
    orderId: EXAMPLE_ORDER_ID,
    status: 'CAPTURED',
    amount: { amount: 5248, currency: 'EUR' },
    updatedAt: '2025-11-21T10:15:00.890Z',
  },
  shipment: {
    shipmentId: '7a2c9e4f-1d3b-4c5a-9e8f-2b6d4a1c0e93',
    orderId: EXAMPLE_ORDER_ID,
    status: 'SCHEDULED',
    trackingNumber: 'TRK-4Q8Z2M',
    updatedAt: '2025-11-21T10:15:00.650Z',
  },
  products: [tshirt, mug],
  degraded: [],
};

export const degradedOrderDetailsExample: OrderDetailsDto = { ...orderDetailsExample, shipment: null, products: null, degraded: ['shipment', 'products'] };

export const orderSummaryExample: OrderSummaryDto = {
  id: EXAMPLE_ORDER_ID,
  status: 'CONFIRMED',
  total: { amount: 5248, currency: 'EUR' },
  itemCount: 3,
  updatedAt: '2025-11-21T10:15:00.930Z',
};

/** An opaque cursor as the API hands them out. */
export const EXAMPLE_CURSOR = 'WyIyMDI1LTExLTIxVDEwOjE1OjAwLjEyMFoiLCIwYjhlNGM1MiJd';

const refundDeadLetter: DeadLetterSummary = {
  id: 42,
  subject: 'order.cancelled.v1',
  stream: 'ORDER',
  streamSequence: 1873,
  service: 'payment-service',
  consumer: 'payment-service-order-cancelled',
  error: 'Payment provider answered 429 Too Many Requests',
  kind: 'exhausted',
  attempts: 8,
  failedAt: '2025-11-21T10:20:31.004Z',
};

export const deadLetterPageExample: DeadLetterPage = { deadLetters: [refundDeadLetter], nextAfter: null };

export const deadLetterExample: DeadLetter = {
  ...refundDeadLetter,
  headers: { 'Nats-Msg-Id': 'a4f0c1d2-5e6b-4a7c-8d9e-0f1a2b3c4d5e', 'x-event-type': 'order.cancelled', 'x-event-version': '1' },
  payload: {
    id: 'a4f0c1d2-5e6b-4a7c-8d9e-0f1a2b3c4d5e',
    type: 'order.cancelled',
    version: 1,
    occurredAt: '2025-11-21T10:20:00.000Z',
    correlationId: EXAMPLE_ORDER_ID,
    causationId: null,
    data: { orderId: EXAMPLE_ORDER_ID, reason: 'CUSTOMER_CANCELLED' },
  },
  payloadEncoding: 'json',
  history: [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => ({
    attempt,
    failedAt: `2025-11-21T10:${12 + attempt}:00.000Z`,
    replica: attempt % 2 === 0 ? 'payment-service-7c9f6d5b8-x2k4q:1' : 'payment-service-7c9f6d5b8-m8wzp:1',
    error: 'Payment provider answered 429 Too Many Requests',
  })),
};

export const replayedDeadLetterExample: ReplayedDeadLetter = { id: 42, subject: 'order.cancelled.v1', stream: 'ORDER', sequence: 2210 };

export const busStateExample: BusState = {
  streams: [
    {
      name: 'ORDER',
      subjects: ['order.>'],
      messages: 1824,
      bytes: 1093120,
      replicas: 3,
      consumers: [
        { name: 'inventory-service-order-cancelled', pending: 0, ackPending: 0, redelivered: 0 },
        { name: 'payment-service-order-cancelled', pending: 12, ackPending: 4, redelivered: 1 },
      ],
    },
  ],
};

export const runningSagaPageExample = {
  items: [
    {
      orderId: EXAMPLE_ORDER_ID,
      customerId: 'customer-42',
      placedAt: '2025-11-21T10:15:00.120Z',
      ageMs: 95_000,
      deadline: '2025-11-21T10:20:00.120Z',
      waitingFor: 'PAYMENT_AUTHORIZED',
    },
  ],
  nextCursor: EXAMPLE_CURSOR,
};

export const servicesStateExample: ServicesState = {
  services: [
    {
      name: 'payment-service',
      replicas: [
        {
          replica: 'payment-service-7c9f6d5b8-m8wzp:1',
          ready: true,
          reasons: [],
          outbox: { rows: 0, oldestAgeSeconds: 0 },
          breakers: [{ dependency: 'payment-provider', state: 'open', halfOpenInMs: 6_200 }],
        },
        {
          replica: 'payment-service-7c9f6d5b8-x2k4q:1',
          ready: false,
          reasons: ['database: timeout of 1500ms exceeded', 'outbox: unknown: the outbox was not counted within 1000 ms'],
          outbox: null,
          breakers: [{ dependency: 'payment-provider', state: 'half-open', halfOpenInMs: null }],
        },
      ],
      noAnswer: null,
      deadLetters: 1,
    },
    { name: 'shipping-service', replicas: [], noAnswer: 'no replica is running', deadLetters: 0 },
  ],
  waitedMs: 2_000,
};
