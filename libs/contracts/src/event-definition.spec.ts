import { z } from 'zod';
import { ContractViolation } from './contract-violation';
import { decodeEnvelope, defineEvent } from './event-definition';
import { OrderPlaced } from './events';

const orderId = '6f1c1a7e-8a57-4a57-9d5e-0f8f0f5d1b11';
const validPlaced = {
  orderId,
  customerId: 'customer-1',
  items: [{ sku: 'SKU-1', quantity: 2 }],
  shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  paymentToken: 'tok_visa',
};

describe('event definitions', () => {
  it('creates an envelope on the versioned subject with a fresh id', () => {
    const event = OrderPlaced.create(validPlaced, { correlationId: 'req-1' });
    expect(OrderPlaced.subject).toBe('order.placed.v1');
    expect(OrderPlaced.allVersionsSubject).toBe('order.placed.*');
    expect(event).toMatchObject({ type: 'order.placed', version: 1, correlationId: 'req-1', causationId: null, data: validPlaced });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('links an event to the one that caused it', () => {
    const cause = OrderPlaced.create(validPlaced, { correlationId: 'req-1' });
    const effect = OrderPlaced.create(validPlaced, { causedBy: cause });
    expect(effect.correlationId).toBe('req-1');
    expect(effect.causationId).toBe(cause.id);
  });

  it('refuses to create an invalid event', () => {
    expect(() => OrderPlaced.create({ ...validPlaced, items: [] }, { correlationId: 'x' })).toThrow(ContractViolation);
  });

  it('round-trips through bytes and validates on the way in', () => {
    const event = OrderPlaced.create(validPlaced, { correlationId: 'req-1' });
    const decoded = decodeEnvelope(new TextEncoder().encode(JSON.stringify(event)));
    expect(OrderPlaced.parse(decoded)).toEqual(event);
  });

  it.each([
    ['not json', '{'],
    ['not an envelope', JSON.stringify({ hello: 'world' })],
  ])('rejects a body that is %s', (_label, body) => {
    expect(() => decodeEnvelope(new TextEncoder().encode(body))).toThrow(ContractViolation);
  });

  it('rejects data that does not match the schema, and unknown versions', () => {
    const event = OrderPlaced.create(validPlaced, { correlationId: 'req-1' });
    expect(() => OrderPlaced.parse({ ...event, data: { orderId } })).toThrow(ContractViolation);
    expect(() => OrderPlaced.parse({ ...event, version: 9 })).toThrow(/Unknown version 9/);
  });

  it('upcasts older versions to the latest shape', () => {
    const Greeting = defineEvent('test.greeted', { schema: z.object({ fullName: z.string() }), upcastFromPrevious: (v1) => ({ fullName: (v1 as { name: string }).name }) }, [
      { schema: z.object({ name: z.string() }) },
    ]);
    const v2 = Greeting.create({ fullName: 'Ada Lovelace' }, { correlationId: 'c' });
    const v1 = { ...v2, version: 1, data: { name: 'Ada' } };
    expect(Greeting.subject).toBe('test.greeted.v2');
    expect(Greeting.parse(v1)).toMatchObject({ version: 2, data: { fullName: 'Ada' } });
  });
});
