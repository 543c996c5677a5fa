import { createResiliencePolicy, JsonHttpClient, type JsonReply, type PolicySettings, type ResiliencePolicy } from '@orders/resilience';
import { Money, PermanentFailure } from '@orders/shared-kernel';
import { z } from 'zod';
import { AuthorizationOutcome, CaptureOutcome, PaymentProvider, VoidOutcome } from '../application/payment-provider';

/** Authorizations, captures and refunds all answer with the provider's id of what was created. */
const createdSchema = z.object({ id: z.string().min(1) });
const refusalSchema = z.object({ error: z.object({ code: z.string() }) });

/**
 * 400 refusals about what the customer gave us rather than about our request: a card token the
 * provider does not know, a total above what it authorizes at once. They decline the payment like
 * a refused card; any other 400 means our request is wrong and stays a PermanentFailure.
 */
const CUSTOMER_REFUSALS: ReadonlySet<string> = new Set(['invalid_token', 'amount_too_large']);

/**
 * Anti-corruption layer over the provider's REST API: its paths, headers, status codes,
 * refusal codes and bodies stay here. Idempotency keys derive from the order and the step,
 * so however often an event is redelivered or a request retried, the card is authorized,
 * captured, voided and refunded once.
 *
 * Every call goes through one resilience policy per instance (timeout, retry of transient
 * failures honouring Retry-After, circuit breaker, bulkhead), so all of the service's calls
 * to the provider share the breaker and the concurrency limit.
 */
export class HttpPaymentProvider extends PaymentProvider {
  private readonly http: JsonHttpClient;
  /** Shared by every call to the provider; its breaker state is what monitoring watches. */
  readonly policy: ResiliencePolicy;

  constructor(baseUrl: string, policy: PolicySettings = {}) {
    super();
    this.policy = createResiliencePolicy({ ...policy, name: 'payment-provider' });
    this.http = new JsonHttpClient(baseUrl, this.policy);
  }

  async authorize({ orderId, amount, token }: { orderId: string; amount: Money; token: string }): Promise<AuthorizationOutcome> {
    const path = '/v1/authorizations';
    const reply = await this.http.request({
      method: 'POST',
      path,
      idempotencyKey: `authorize-${orderId}`,
      body: { amount: amount.amount, currency: amount.currency, token, reference: orderId },
      expectedStatuses: [201, 400, 402],
    });
    if (reply.status === 201) return { kind: 'approved', providerAuthorizationId: createdSchema.parse(reply.body).id };
    if (reply.status === 402 || CUSTOMER_REFUSALS.has(refusalCode(reply) ?? '')) return { kind: 'declined' };
    throw unexpectedRefusal(reply, path);
  }

  async capture({ orderId, providerAuthorizationId, amount }: { orderId: string; providerAuthorizationId: string; amount: Money }): Promise<CaptureOutcome> {
    const path = `/v1/authorizations/${encodeURIComponent(providerAuthorizationId)}/capture`;
    const reply = await this.http.request({
      method: 'POST',
      path,
      idempotencyKey: `capture-${orderId}`,
      body: { amount: amount.amount },
      expectedStatuses: [200, 409],
    });
    if (reply.status === 200) return { kind: 'captured', providerCaptureId: createdSchema.parse(reply.body).id };
    if (refusalCode(reply) === 'already_voided') return { kind: 'authorization-voided' };
    throw unexpectedRefusal(reply, path);
  }

  async void({ orderId, providerAuthorizationId }: { orderId: string; providerAuthorizationId: string }): Promise<VoidOutcome> {
    const path = `/v1/authorizations/${encodeURIComponent(providerAuthorizationId)}/void`;
    const reply = await this.http.request({ method: 'POST', path, idempotencyKey: `void-${orderId}`, expectedStatuses: [200, 409] });
    if (reply.status === 200) return { kind: 'voided' };
    switch (refusalCode(reply)) {
      case 'already_captured':
        return { kind: 'already-captured' };
      // Voided before under another key (e.g. by hand): what we wanted is done either way.
      case 'already_voided':
        return { kind: 'voided' };
      default:
        throw unexpectedRefusal(reply, path);
    }
  }

  async refund({ orderId, providerCaptureId, amount }: { orderId: string; providerCaptureId: string; amount: Money }): Promise<{ providerRefundId: string }> {
    const reply = await this.http.request({
      method: 'POST',
      path: `/v1/captures/${encodeURIComponent(providerCaptureId)}/refunds`,
      idempotencyKey: `refund-${orderId}`,
      body: { amount: amount.amount },
      expectedStatuses: [201],
    });
    return { providerRefundId: createdSchema.parse(reply.body).id };
  }
}

function refusalCode(reply: JsonReply): string | undefined {
  return refusalSchema.safeParse(reply.body).data?.error.code;
}

/** A refusal other than the outcomes we model (e.g. capturing more than authorized) will be repeated however often the request is sent. */
function unexpectedRefusal(reply: JsonReply, path: string): PermanentFailure {
  return new PermanentFailure(`payment-provider refused POST ${path} with ${reply.status}: ${JSON.stringify(reply.body)}`);
}
