import { chooseKind, MIX_KINDS, PLENTIFUL_SKUS, planOrder, SCARCE_SKU } from './order-mix';
import { pickWeighted, seededRandom } from './random';

describe('chaos order mix', () => {
  it('is the same for the same seed', () => {
    const plans = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => planOrder(chooseKind(random), random));
    };
    expect(plans(42)).toEqual(plans(42));
    expect(plans(42)).not.toEqual(plans(43));
  });

  it('places every kind in a few hundred orders', () => {
    const random = seededRandom(7);
    const kinds = new Set(Array.from({ length: 300 }, () => chooseKind(random)));
    expect([...kinds].sort()).toEqual([...MIX_KINDS].sort());
  });

  it('asks for what each kind is about', () => {
    const random = seededRandom(1);
    expect(planOrder('declined', random).body.payment.token).toBe('tok_declined');
    expect(planOrder('unsupported-destination', random).body.shippingAddress.country).toBe('AQ');
    expect(planOrder('out-of-stock', random).body.items.map((item) => item.sku)).toEqual([SCARCE_SKU]);
    expect(planOrder('cancel-late', random).cancelAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(planOrder('duplicate-concurrent', random).duplicate).toBe('concurrent');
    const normal = planOrder('normal', random);
    expect(normal.body.items.every((item) => (PLENTIFUL_SKUS as readonly string[]).includes(item.sku))).toBe(true);
    expect(new Set(normal.body.items.map((item) => item.sku)).size).toBe(normal.body.items.length);
  });

  it('never picks what is weighted zero', () => {
    const random = seededRandom(3);
    const picked = new Set(Array.from({ length: 100 }, () => pickWeighted(random, { often: 5, never: 0, sometimes: 1 })));
    expect([...picked].sort()).toEqual(['often', 'sometimes']);
  });
});
