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

/** Test card tokens: each one deterministically selects an authorization outcome. */
const TOKEN_OUTCOMES: ReadonlyMap<string, Authorization['status']> = new Map([
  ['tok_visa', 'approved'],
  ['tok_declined', 'declined'],
]);

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** The most one authorization may hold, in minor units of any currency: like a real provider, it refuses larger amounts. */
export const MAX_AUTHORIZATION_AMOUNT = 1_000_000;

export interface Authorization {
  readonly id: string;
  readonly status: 'approved' | 'declined';
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
  readonly declineCode?: 'card_declined';
}

export interface Capture {
  readonly id: string;
  readonly authorizationId: string;
  readonly status: 'captured';
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
}

export interface Refund {
  readonly id: string;
  readonly captureId: string;
  readonly status: 'refunded';
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
}

/** `id` is the voided authorization's id. */
export interface Void {
  readonly id: string;
  readonly status: 'voided';
  readonly reference: string;
}

export interface PaymentLedger {
  readonly authorizations: Authorization[];
  readonly captures: Capture[];
  readonly refunds: Refund[];
  readonly voids: Void[];
}

/** An in-memory card payment provider: authorize, capture, void and refund, all idempotent. */
export function createPaymentProviderSimulator(options: SimulatorOptions = {}): Server {
  const authorizations = new Map<string, Authorization>();
  const captures = new Map<string, Capture>();
  const refunds: Refund[] = [];
  const voids = new Map<string, Void>();

  function authorize({ body }: RouteRequest) {
    const request = requireObject(body, 'body');
    const amount = requireMinorUnits(request.amount, 'amount');
    const currency = requireString(request.currency, 'currency');
    if (!CURRENCY_CODE.test(currency)) {
      throw invalidRequest('"currency" must be an upper-case ISO 4217 code such as "EUR"');
    }
    const token = requireString(request.token, 'token');
    const reference = requireString(request.reference, 'reference');
    const status = TOKEN_OUTCOMES.get(token);
    if (!status) {
      throw new HttpError(400, 'invalid_token', `Unknown card token "${token}"; use tok_visa or tok_declined`);
    }
    if (amount > MAX_AUTHORIZATION_AMOUNT) {
      throw new HttpError(400, 'amount_too_large', `Cannot authorize ${amount}; the most one authorization may hold is ${MAX_AUTHORIZATION_AMOUNT}`);
    }
    const authorization: Authorization = {
      id: randomId('auth'),
      status,
      amount,
      currency,
      reference,
      ...(status === 'declined' ? { declineCode: 'card_declined' as const } : {}),
    };
    authorizations.set(authorization.id, authorization);
    return { status: status === 'approved' ? 201 : 402, body: authorization };
  }

  function capture({ params, body }: RouteRequest) {
    const amount = requireMinorUnits(requireObject(body, 'body').amount, 'amount');
    const authorization = openAuthorization(params.id ?? '');
    if (amount > authorization.amount) {
      throw new HttpError(409, 'amount_exceeds_authorization', `Cannot capture ${amount}; only ${authorization.amount} was authorized`);
    }
    const captured: Capture = {
      id: randomId('cap'),
      authorizationId: authorization.id,
      status: 'captured',
      amount,
      currency: authorization.currency,
      reference: authorization.reference,
    };
    captures.set(captured.id, captured);
    return { status: 200, body: captured };
  }

  function voidAuthorization({ params }: RouteRequest) {
    const authorization = openAuthorization(params.id ?? '');
    const voided: Void = { id: authorization.id, status: 'voided', reference: authorization.reference };
    voids.set(voided.id, voided);
    return { status: 200, body: voided };
  }

  function refund({ params, body }: RouteRequest) {
    const amount = requireMinorUnits(requireObject(body, 'body').amount, 'amount');
    const captured = captures.get(params.id ?? '');
    if (!captured) {
      throw new HttpError(404, 'capture_not_found', `No capture with id "${params.id}"`);
    }
    const alreadyRefunded = refunds.filter((existing) => existing.captureId === captured.id).reduce((total, existing) => total + existing.amount, 0);
    if (alreadyRefunded + amount > captured.amount) {
      throw new HttpError(409, 'refund_exceeds_capture', `Cannot refund ${amount}; ${captured.amount - alreadyRefunded} of ${captured.amount} remains refundable`);
    }
    const refunded: Refund = {
      id: randomId('ref'),
      captureId: captured.id,
      status: 'refunded',
      amount,
      currency: captured.currency,
      reference: captured.reference,
    };
    refunds.push(refunded);
    return { status: 201, body: refunded };
  }

  function ledger({ query }: RouteRequest) {
    const body: PaymentLedger = {
      authorizations: filterByReference(authorizations.values(), query),
      captures: filterByReference(captures.values(), query),
      refunds: filterByReference(refunds, query),
      voids: filterByReference(voids.values(), query),
    };
    return { status: 200, body };
  }

  /** An authorization that can still be captured or voided: approved, not voided, not captured. */
  function openAuthorization(id: string): Authorization {
    const authorization = authorizations.get(id);
    if (!authorization) {
      throw new HttpError(404, 'authorization_not_found', `No authorization with id "${id}"`);
    }
    if (authorization.status !== 'approved') {
      throw new HttpError(409, 'authorization_not_approved', `Authorization "${id}" was ${authorization.status}`);
    }
    if (voids.has(id)) {
      throw new HttpError(409, 'already_voided', `Authorization "${id}" was voided`);
    }
    if ([...captures.values()].some((existing) => existing.authorizationId === id)) {
      throw new HttpError(409, 'already_captured', `Authorization "${id}" was already captured`);
    }
    return authorization;
  }

  return createJsonServer(
    [
      ...healthRoutes,
      { method: 'POST', path: '/v1/authorizations', idempotent: true, handle: authorize },
      { method: 'POST', path: '/v1/authorizations/:id/capture', idempotent: true, handle: capture },
      { method: 'POST', path: '/v1/authorizations/:id/void', idempotent: true, handle: voidAuthorization },
      { method: 'POST', path: '/v1/captures/:id/refunds', idempotent: true, handle: refund },
      { method: 'GET', path: '/v1/ledger', handle: ledger },
    ],
    options,
  );
}

/** Amounts are integer minor units (cents), never fractions, so rounding can never creep in. */
function requireMinorUnits(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidRequest(`"${field}" must be a non-negative integer amount in minor units`);
  }
  return value;
}
