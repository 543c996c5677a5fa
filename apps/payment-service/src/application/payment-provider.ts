import { Money } from '@orders/shared-kernel';

export type AuthorizationOutcome = { kind: 'approved'; providerAuthorizationId: string } | { kind: 'declined' };

/**
 * Port to the card payment provider. Calls are idempotent per order, so a retried
 * call charges once. A decline is an outcome; an unreachable or failing provider
 * is an error, so the caller retries later instead of settling the payment.
 */
export abstract class PaymentProvider {
  abstract authorize(request: { orderId: string; amount: Money; token: string }): Promise<AuthorizationOutcome>;
  abstract capture(request: { orderId: string; providerAuthorizationId: string; amount: Money }): Promise<{ providerCaptureId: string }>;
}
