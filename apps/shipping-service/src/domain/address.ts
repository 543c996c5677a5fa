import { DomainError } from '@orders/shared-kernel';

const COUNTRY_CODE = /^[A-Z]{2}$/;

export interface AddressProps {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  country: string;
}

/** Where a parcel goes. Every line is required, so a carrier is never handed half an address. */
export class Address {
  private constructor(
    readonly name: string,
    readonly line1: string,
    readonly city: string,
    readonly postalCode: string,
    readonly country: string,
  ) {}

  static of(props: AddressProps): Address {
    const address = new Address(props.name.trim(), props.line1.trim(), props.city.trim(), props.postalCode.trim(), props.country.trim());
    const missing = Object.entries(address.toJSON())
      .filter(([, value]) => value === '')
      .map(([field]) => field);
    if (missing.length > 0) throw new DomainError('INVALID_ADDRESS', `Address is missing ${missing.join(', ')}`);
    if (!COUNTRY_CODE.test(address.country)) {
      throw new DomainError('INVALID_ADDRESS', `Country must be an ISO 3166-1 alpha-2 code such as "DE", got "${address.country}"`);
    }
    return address;
  }

  toJSON(): AddressProps {
    return { name: this.name, line1: this.line1, city: this.city, postalCode: this.postalCode, country: this.country };
  }
}
