import { DomainError } from './domain-error';
import { Money } from './money';

describe('Money', () => {
  it('adds and multiplies in integer minor units', () => {
    const price = Money.of(1999, 'EUR');
    expect(price.multiply(3).add(Money.of(1, 'EUR')).toJSON()).toEqual({ amount: 5998, currency: 'EUR' });
  });

  it('sums a list, starting from zero in the given currency', () => {
    expect(Money.sum([], 'EUR').amount).toBe(0);
    expect(Money.sum([Money.of(10, 'EUR'), Money.of(15, 'EUR')], 'EUR').amount).toBe(25);
  });

  it.each([
    [10.5, 'EUR'],
    [-1, 'EUR'],
    [Number.MAX_SAFE_INTEGER + 1, 'EUR'],
    [100, 'euro'],
  ])('rejects amount %p in %p', (amount, currency) => {
    expect(() => Money.of(amount, currency)).toThrow(DomainError);
  });

  it('refuses to mix currencies', () => {
    expect(() => Money.of(1, 'EUR').add(Money.of(1, 'USD'))).toThrow(/Cannot combine EUR with USD/);
  });

  it('refuses fractional multipliers', () => {
    expect(() => Money.of(100, 'EUR').multiply(0.5)).toThrow(DomainError);
  });

  it('compares by value', () => {
    expect(Money.of(5, 'EUR').equals(Money.of(5, 'EUR'))).toBe(true);
    expect(Money.of(5, 'EUR').equals(Money.of(5, 'USD'))).toBe(false);
  });
});
