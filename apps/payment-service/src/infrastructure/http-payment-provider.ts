import { Money } from '@orders/shared-kernel';
import { z } from 'zod';
import { AuthorizationOutcome, PaymentProvider } from '../application/payment-provider';

const TIMEOUT_MS = 5_000;

/** Authorizations and captures both answer with the provider's id of what was created. */
const createdSchema = z.object({ id: z.string().min(1) });

interface ProviderReply {
  status: number;
  text: string;
}

/**
 * Anti-corruption layer over the provider's REST API: its paths, headers, status
 * codes and bodies stay here. Idempotency keys derive from the order, so however
 * often an event is redelivered the card is authorized and captured once.
 */
export class HttpPaymentProvider extends PaymentProvider {
  constructor(private readonly baseUrl: string) {
    super();
  }

  async authorize({ orderId, amount, token }: { orderId: string; amount: Money; token: string }): Promise<AuthorizationOutcome> {
    const path = '/v1/authorizations';
    const reply = await this.post(path, `authorize-${orderId}`, { amount: amount.amount, currency: amount.currency, token, reference: orderId });
    if (reply.status === 402) return { kind: 'declined' };
    return { kind: 'approved', providerAuthorizationId: created(reply, 201, path) };
  }

  async capture({ orderId, providerAuthorizationId, amount }: { orderId: string; providerAuthorizationId: string; amount: Money }): Promise<{ providerCaptureId: string }> {
    const path = `/v1/authorizations/${encodeURIComponent(providerAuthorizationId)}/capture`;
    const reply = await this.post(path, `capture-${orderId}`, { amount: amount.amount });
    return { providerCaptureId: created(reply, 200, path) };
  }

  private async post(path: string, idempotencyKey: string, body: unknown): Promise<ProviderReply> {
    try {
      const response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      throw new Error(`Payment provider unreachable on POST ${path}: ${failureCause(error)}`, { cause: error });
    }
  }
}

/**
 * The id of what the provider created. Any other status is an error, never an outcome:
 * 5xx and 429 are transient, and a refused request needs a fix on our side; either way
 * the payment must not move on, so the event is redelivered rather than acked.
 */
function created(reply: ProviderReply, expectedStatus: number, path: string): string {
  if (reply.status !== expectedStatus) {
    throw new Error(`Payment provider answered ${reply.status} to POST ${path}: ${reply.text.slice(0, 500)}`);
  }
  return createdSchema.parse(JSON.parse(reply.text)).id;
}

/** fetch only says "fetch failed"; its cause (refused, reset, DNS) is what an operator needs. A timeout has no cause. */
function failureCause(error: unknown): string {
  return String((error as { cause?: unknown } | null)?.cause ?? error);
}
