import { Money } from '@orders/shared-kernel';

/** Declined: the provider refused the customer's card, or anything else the customer gave (an unknown token, a total above its limit). */
export type AuthorizationOutcome = { kind: 'approved'; providerAuthorizationId: string } | { kind: 'declined' };

/** Capturing fails as an outcome only when the authorization was voided first (e.g. the order was cancelled meanwhile). */
export type CaptureOutcome = { kind: 'captured'; providerCaptureId: string } | { kind: 'authorization-voided' };

/** Voiding fails as an outcome only when the authorization was captured first: the money must then be refunded. */
export type VoidOutcome = { kind: 'voided' } | { kind: 'already-captured' };

/**
 * Port to the card payment provider. Every call is idempotent per order (the
 * adapter derives the provider's idempotency key from the order and the step), so
 * a retried call charges, voids or refunds once. Business refusals, the customer's
 * input refused included, are outcomes; an unreachable, throttling or failing
 * provider is an error, so the caller retries later instead of settling the
 * payment; a request of ours the provider can never accept is a `PermanentFailure`.
 */
export abstract class PaymentProvider {
  abstract authorize(request: { orderId: string; amount: Money; token: string }): Promise<AuthorizationOutcome>;
  abstract capture(request: { orderId: string; providerAuthorizationId: string; amount: Money }): Promise<CaptureOutcome>;
  abstract void(request: { orderId: string; providerAuthorizationId: string }): Promise<VoidOutcome>;
  abstract refund(request: { orderId: string; providerCaptureId: string; amount: Money }): Promise<{ providerRefundId: string }>;
}
