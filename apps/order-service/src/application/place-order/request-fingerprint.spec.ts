import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('request fingerprint', () => {
  it('ignores the order of object keys at every level', () => {
    const a = { items: [{ sku: 'A', quantity: 1 }], payment: { token: 't' } };
    const b = { payment: { token: 't' }, items: [{ quantity: 1, sku: 'A' }] };
    expect(canonicalJson(a)).toBe('{"items":[{"quantity":1,"sku":"A"}],"payment":{"token":"t"}}');
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
  });

  it('tells apart different values and different item orders', () => {
    const one = { items: [{ sku: 'A', quantity: 1 }] };
    expect(requestFingerprint(one)).not.toBe(requestFingerprint({ items: [{ sku: 'A', quantity: 2 }] }));
    expect(requestFingerprint({ items: ['A', 'B'] })).not.toBe(requestFingerprint({ items: ['B', 'A'] }));
  });

  it('leaves out undefined fields as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});
