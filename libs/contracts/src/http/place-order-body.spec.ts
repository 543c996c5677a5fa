import { placeOrderBodySchema } from './orders.http';

const ORDER = {
  items: [{ sku: 'SKU-TSHIRT', quantity: 1 }],
  shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  payment: { token: 'tok_visa' },
};
const withName = (name: string) => ({ ...ORDER, shippingAddress: { ...ORDER.shippingAddress, name } });

describe('the body of placing an order', () => {
  it.each([
    ['accents', 'José Müller-Łukasiewicz'],
    ['CJK', '山田 太郎'],
    ['a right-to-left script', 'محمد عبد الله'],
    ['emoji, joined ones included', 'Ada 🚀 👩‍👩‍👧'],
    ['an apostrophe and punctuation', "O'Brien & Sons, Ltd."],
  ])('accepts a name with %s', (_case, name) => {
    expect(placeOrderBodySchema.safeParse(withName(name)).success).toBe(true);
  });

  it.each([
    ['a NUL character', 'Ada\u0000Lovelace'],
    ['a line break', 'Ada\nLovelace'],
    ['a tab inside', 'Ada\tLovelace'],
    ['a line separator', 'Ada\u2028Lovelace'],
    ['an unpaired surrogate', 'Ada \ud800'],
    ['a right-to-left override', 'Ada \u202Eecalevol'],
    ['only spaces', '   '],
  ])('refuses a name with %s, naming the field', (_case, name) => {
    const parsed = placeOrderBodySchema.safeParse(withName(name));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['shippingAddress.name']);
  });

  it('refuses a SKU on a second line, naming that line, however the quantities are split', () => {
    const lines = [
      { sku: 'SKU-TSHIRT', quantity: 1000 },
      { sku: 'SKU-MUG', quantity: 1 },
      { sku: 'SKU-TSHIRT', quantity: 1000 },
    ];
    const parsed = placeOrderBodySchema.safeParse({ ...ORDER, items: lines });
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['items.2.sku', 'SKU-TSHIRT is on an earlier line: order each SKU on one line']]);
  });

  it('takes 50 lines of 1000 units when each is a different SKU', () => {
    const lines = Array.from({ length: 50 }, (_, index) => ({ sku: `SKU-${index}`, quantity: 1000 }));
    expect(placeOrderBodySchema.safeParse({ ...ORDER, items: lines }).success).toBe(true);
  });

  it('refuses a payment token that is not printable ASCII', () => {
    for (const token of ['tok visa', 'tok_\u0000', 'tök']) {
      expect(placeOrderBodySchema.safeParse({ ...ORDER, payment: { token } }).error?.issues[0].path).toEqual(['payment', 'token']);
    }
  });
});
