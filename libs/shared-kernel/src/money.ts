import { DomainError } from './domain-error';

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * An amount of money in integer minor units (cents for EUR/USD). Floats never
 * represent money here: every operation stays in safe integers.
 */
export class Money {
  private constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}

  static of(amount: number, currency: string): Money {
    if (!Number.isSafeInteger(amount)) {
      throw new DomainError('INVALID_MONEY', `Money amount must be an integer number of minor units, got ${amount}`);
    }
    if (amount < 0) {
      throw new DomainError('INVALID_MONEY', `Money amount cannot be negative, got ${amount}`);
    }
    if (!CURRENCY_CODE.test(currency)) {
      throw new DomainError('INVALID_MONEY', `Currency must be an ISO 4217 code, got "${currency}"`);
    }
    return new Money(amount, currency);
  }

  static zero(currency: string): Money {
    return Money.of(0, currency);
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount + other.amount, this.currency);
  }

  multiply(factor: number): Money {
    if (!Number.isSafeInteger(factor) || factor < 0) {
      throw new DomainError('INVALID_MONEY', `Money can only be multiplied by a non-negative integer, got ${factor}`);
    }
    return Money.of(this.amount * factor, this.currency);
  }

  equals(other: Money): boolean {
    return this.amount === other.amount && this.currency === other.currency;
  }

  toJSON(): { amount: number; currency: string } {
    return { amount: this.amount, currency: this.currency };
  }

  static sum(values: readonly Money[], currency: string): Money {
    return values.reduce((total, value) => total.add(value), Money.zero(currency));
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new DomainError('CURRENCY_MISMATCH', `Cannot combine ${this.currency} with ${other.currency}`);
    }
  }
}
