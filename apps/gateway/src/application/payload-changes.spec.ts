import { payloadChanges } from './payload-changes';

describe('the changes an operator made to a payload', () => {
  it('lists every changed, added and removed leaf by its dotted path, in document order', () => {
    const before = { type: 'order.placed', data: { items: [{ sku: 'SKU-MUG', quantity: 1 }], note: 'gift', total: { amount: 10 } } };
    const after = {
      type: 'order.placed',
      data: {
        items: [
          { sku: 'SKU-MUG', quantity: 2 },
          { sku: 'SKU-CAP', quantity: 1 },
        ],
        total: { amount: 10 },
        rush: true,
      },
    };
    expect(payloadChanges(before, after)).toEqual([
      { path: 'data.items.0.quantity', before: 1, after: 2 },
      { path: 'data.items.1', after: { sku: 'SKU-CAP', quantity: 1 } },
      { path: 'data.note', before: 'gift' },
      { path: 'data.rush', after: true },
    ]);
  });

  it('compares values of different kinds as a whole, and finds nothing in equal payloads', () => {
    expect(payloadChanges({ data: { reason: null } }, { data: { reason: ['OUT_OF_STOCK'] } })).toEqual([{ path: 'data.reason', before: null, after: ['OUT_OF_STOCK'] }]);
    expect(payloadChanges('not json', { id: 1 })).toEqual([{ path: '', before: 'not json', after: { id: 1 } }]);
    expect(payloadChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});
