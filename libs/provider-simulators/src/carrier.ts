import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import {
  createJsonServer,
  filterByReference,
  healthRoutes,
  HttpError,
  invalidRequest,
  randomId,
  requireObject,
  requireString,
  type RouteRequest,
  type SimulatorOptions,
} from './json-http';

// Always refused, so tests can exercise the "carrier cannot ship there" path deterministically.
const UNSUPPORTED_DESTINATIONS = new Set(['AQ']);
const COUNTRY_CODE = /^[A-Z]{2}$/;
// The countries whose postal codes the carrier knows; a code that cannot exist there is an address it cannot
// deliver to. Any postal code goes for other countries.
const POSTAL_CODE_FORMATS: ReadonlyMap<string, RegExp> = new Map([
  ['AT', /^\d{4}$/],
  ['DE', /^\d{5}$/],
  ['FR', /^\d{5}$/],
  ['GB', /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i],
  ['NL', /^\d{4} ?[A-Z]{2}$/i],
  ['US', /^\d{5}(-\d{4})?$/],
]);
const TRACKING_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface Address {
  readonly name: string;
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

export interface Shipment {
  readonly id: string;
  readonly trackingNumber: string;
  readonly status: 'booked' | 'cancelled';
  readonly reference: string;
  readonly address: Address;
}

/** An in-memory parcel carrier: book and cancel shipments, both idempotent. */
export function createCarrierSimulator(options: SimulatorOptions = {}): Server {
  const shipments = new Map<string, Shipment>();

  function book({ body }: RouteRequest) {
    const request = requireObject(body, 'body');
    const reference = requireString(request.reference, 'reference');
    const address = requireAddress(request.address);
    if (UNSUPPORTED_DESTINATIONS.has(address.country)) {
      throw new HttpError(422, 'unsupported_destination', `Shipping to country "${address.country}" is not supported`);
    }
    if (POSTAL_CODE_FORMATS.get(address.country)?.test(address.postalCode) === false) {
      throw new HttpError(422, 'undeliverable_address', `There is no postal code "${address.postalCode}" in ${address.country}`);
    }
    const shipment: Shipment = {
      id: randomId('shp'),
      trackingNumber: `TRK${randomCharacters(10)}`,
      status: 'booked',
      reference,
      address,
    };
    shipments.set(shipment.id, shipment);
    return { status: 201, body: shipment };
  }

  function cancel({ params }: RouteRequest) {
    const shipment = shipments.get(params.id ?? '');
    if (!shipment) {
      throw new HttpError(404, 'shipment_not_found', `No shipment with id "${params.id}"`);
    }
    if (shipment.status === 'cancelled') {
      throw new HttpError(409, 'already_cancelled', `Shipment "${shipment.id}" was already cancelled`);
    }
    const cancelled: Shipment = { ...shipment, status: 'cancelled' };
    shipments.set(cancelled.id, cancelled);
    return { status: 200, body: cancelled };
  }

  function list({ query }: RouteRequest) {
    return { status: 200, body: { shipments: filterByReference(shipments.values(), query) } };
  }

  return createJsonServer(
    [
      ...healthRoutes,
      { method: 'POST', path: '/v1/shipments', idempotent: true, handle: book },
      { method: 'POST', path: '/v1/shipments/:id/cancel', idempotent: true, handle: cancel },
      { method: 'GET', path: '/v1/shipments', handle: list },
    ],
    options,
  );
}

function requireAddress(value: unknown): Address {
  const address = requireObject(value, 'address');
  const country = requireString(address.country, 'address.country');
  if (!COUNTRY_CODE.test(country)) {
    throw invalidRequest('"address.country" must be an upper-case ISO 3166-1 alpha-2 code such as "DE"');
  }
  return {
    name: requireString(address.name, 'address.name'),
    line1: requireString(address.line1, 'address.line1'),
    city: requireString(address.city, 'address.city'),
    postalCode: requireString(address.postalCode, 'address.postalCode'),
    country,
  };
}

function randomCharacters(length: number): string {
  return Array.from({ length }, () => TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)]).join('');
}
